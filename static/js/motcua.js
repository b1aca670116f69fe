// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A form submits once: a double-click must never create two dossiers.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
    // Let the user retry if the page did not navigate (validation error rendered by htmx, network error).
    setTimeout(function () { form.dataset.submitted = ""; }, 8000);
  }, true);
})();
