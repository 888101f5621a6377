// Behaviours every page shares, written as data attributes instead of inline handlers: the
// Content-Security-Policy (settings.py) runs no inline script, so `onchange="…"` would be dead.
//   <select data-submit-on-change>                      submits its form when changed
//   <select data-submit-on-change data-clear="commune"> first empties the form's "commune" field
//                                                       (its choices depend on this one)
//   <form data-confirm="Xóa minh chứng này?">           asks before submitting
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-submit-on-change") || !field.form) {
      return;
    }
    var clear = field.getAttribute("data-clear");
    if (clear && field.form.elements[clear]) {
      field.form.elements[clear].value = "";
    }
    // The native submit (no submit event): a full page load, as the server must redraw the
    // dependent lists; htmx's handlers on the form do not take it over.
    field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
