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

/* Yixian Safety — small behaviour for every page (loaded by base.html; no inline scripts).
 *
 * Table cards: each cell of a table.table-cards gets data-label = its column header, which the
 * phone stylesheet (css/app.css) shows before the value when rows turn into cards.
 *
 * Photo fields (input[data-photo-input], yixian_safety.forms.MultiplePhotoInput): a preview of
 * the chosen photos, and a photo that is not an image or larger than data-max-bytes is named
 * at the field (data-error-size / data-error-type, "{name}" = the file) before any upload.
 */
(function () {
  "use strict";

  function labelTable(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var text = th.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (th.colSpan || 1); i++) labels.push(text);
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", (cell.colSpan || 1) === 1 ? labels[column] || "" : "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function labelAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table.table-cards"), labelTable);
  }

  function photoBoxes(input) {
    var preview = input.parentNode.querySelector("[data-photo-preview]");
    if (!preview) {
      preview = document.createElement("div");
      preview.setAttribute("data-photo-preview", "");
      preview.className = "d-flex flex-wrap gap-2 mb-1";
      input.insertAdjacentElement("afterend", preview);
    }
    var error = input.parentNode.querySelector("[data-photo-error]");
    if (!error) {
      error = document.createElement("div");
      error.setAttribute("data-photo-error", "");
      error.setAttribute("role", "alert");
      error.className = "invalid-feedback d-block";
      preview.insertAdjacentElement("afterend", error);
    }
    return { preview: preview, error: error };
  }

  function checkPhotos(input) {
    var boxes = photoBoxes(input);
    var max = parseInt(input.getAttribute("data-max-bytes"), 10) || Infinity;
    var problems = [];
    boxes.preview.replaceChildren();
    Array.prototype.forEach.call(input.files || [], function (file) {
      var name = file.name;
      if (!/^image\//.test(file.type)) {
        problems.push(input.getAttribute("data-error-type").replace("{name}", name));
      } else if (file.size > max) {
        problems.push(input.getAttribute("data-error-size").replace("{name}", name));
      } else {
        var img = document.createElement("img");
        img.className = "photo-preview border rounded";
        img.alt = name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        boxes.preview.appendChild(img);
      }
    });
    boxes.error.textContent = problems.join(" ");
    input.classList.toggle("is-invalid", problems.length > 0);
    input.setCustomValidity(problems.join(" "));
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-photo-input]")) checkPhotos(event.target);
  });

  document.addEventListener("submit", function (event) {
    var bad = event.target.querySelector("input[data-photo-input].is-invalid");
    if (bad) { event.preventDefault(); bad.focus(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { labelAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var table = event.target.closest && event.target.closest("table.table-cards");
    if (table) labelTable(table);
    labelAll(event.target);
  });
})();
