/* Yixian Safety — small behaviour for every page (loaded by base.html; no inline scripts).
 *
 * Table cards: each cell of a table.table-cards gets data-label = its column header, which the
 * phone stylesheet (css/app.css) shows before the value when rows turn into cards.
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

  document.addEventListener("DOMContentLoaded", function () { labelAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var table = event.target.closest && event.target.closest("table.table-cards");
    if (table) labelTable(table);
    labelAll(event.target);
  });
})();
