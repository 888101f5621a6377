// Behaviours every page shares, written as data attributes instead of inline handlers: the
// Content-Security-Policy (settings.py) runs no inline script, so `onchange="…"` would be dead.
//   <select data-submit-on-change>                      submits its form when changed
//   <select data-submit-on-change data-clear="commune"> first empties the form's "commune" field
//                                                       (its choices depend on this one)
//   <form data-confirm="Xóa minh chứng này?">           asks before submitting
//   <form data-commit-choice hx-trigger="commit">       a group of radio buttons saved by htmx
//       once per choice: a click or Space saves at once; arrow keys only move the choice
//       (each move is a "change") and it is saved when the person stops (a pause), presses
//       Space or Enter, or leaves the group, so the choices passed over are never sent.
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
  var PAUSE_MS = 1200;
  var arrowKeys = { ArrowUp: 1, ArrowDown: 1, ArrowLeft: 1, ArrowRight: 1 };
  var movedByArrow = null; // the form whose choice an arrow key just moved
  var pending = new Map(); // form -> timer of its pending save

  function commitForm(form) {
    var timer = pending.get(form);
    if (timer === undefined) {
      return;
    }
    window.clearTimeout(timer);
    pending.delete(form);
    form.dispatchEvent(new CustomEvent("commit", { bubbles: true }));
  }

  function choiceForm(element) {
    return element && element.closest ? element.closest("form[data-commit-choice]") : null;
  }

  document.addEventListener("keydown", function (event) {
    var form = choiceForm(event.target);
    if (!form) {
      return;
    }
    if (arrowKeys[event.key]) {
      movedByArrow = form;
    } else if (event.key === " " || event.key === "Enter") {
      if (event.key === "Enter") {
        event.preventDefault(); // no native submit: htmx saves
      }
      if (pending.has(form)) {
        commitForm(form);
      } else if (event.key === "Enter" || event.target.checked) {
        // Space on the choice already made (it fires no change): save it all the same.
        pending.set(form, 0);
        commitForm(form);
      }
    }
  });
  document.addEventListener("change", function (event) {
    var form = choiceForm(event.target);
    if (!form) {
      return;
    }
    if (movedByArrow === form) {
      movedByArrow = null;
      window.clearTimeout(pending.get(form));
      pending.set(
        form,
        window.setTimeout(function () {
          commitForm(form);
        }, PAUSE_MS)
      );
    } else {
      pending.set(form, 0);
      commitForm(form);
    }
  });
  document.addEventListener("focusout", function (event) {
    var form = choiceForm(event.target);
    if (form && !form.contains(event.relatedTarget)) {
      commitForm(form);
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
