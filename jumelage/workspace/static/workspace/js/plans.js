/* The financing plan editor: after htmx swaps part of the page, move the keyboard focus to
   what changed, so that a screen reader reads it (WCAG 2.4.3): the error summary of a refused
   form, else the message of a saved change, else the first field of a line opened as a form.
   A static file: the Content-Security-Policy refuses inline scripts. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var spot =
      document.querySelector("#plan-editor .ws-error-summary") ||
      document.querySelector("#plan-editor [data-focus]") ||
      document.querySelector(
        "#plan-editor tr.ws-row-editing input:not([type=hidden]), #plan-editor tr.ws-row-editing select"
      );
    if (!spot) {
      return;
    }
    if (spot.matches(".ws-error-summary, [data-focus]")) {
      spot.setAttribute("tabindex", "-1");
      spot.removeAttribute("data-focus");
    }
    spot.focus();
  });
})();
