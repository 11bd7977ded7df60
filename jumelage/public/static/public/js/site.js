/* Progressive enhancement only: every link works without this file.
   "Copy the link" is a plain link to the page; with JavaScript it copies the address instead,
   and says so in a live region. No third-party code, nothing sent anywhere. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-copy-link]");
    if (!link || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    event.preventDefault();
    var status = document.querySelector("[data-copy-status]");
    navigator.clipboard.writeText(link.href).then(
      function () {
        if (status) {
          status.textContent = link.getAttribute("data-copied");
        }
      },
      function () {
        window.location.href = link.href;
      }
    );
  });
})();
