// Behaviour shared by every page, bound from data-* attributes (Content-Security-Policy allows
// no inline script or on*= handler):
//   <button data-print>            prints the page
//   <select data-autosubmit>       submits its form when changed (also checkboxes)
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      if (typeof field.form.requestSubmit === "function") field.form.requestSubmit();
      else field.form.submit();
    }
  });
})();
