// "Copy the address" buttons: shown only when the browser can copy (the address stays
// selectable by hand without it), then say that it worked in a status line.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var status = document.querySelector("[data-copy-status]");
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      }, function () {
        field.select();
      });
    });
  });
});
