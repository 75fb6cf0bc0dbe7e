/* Sortable tables: in <table data-sortable>, every <th data-sort-type="text|number">
   becomes a button; a click sorts the rows on that column (again: reverse order) and
   sets aria-sort on the header. A cell's data-sort-value, when present, is the key
   (raw numbers); empty numbers (secret, non disponible) always stay last. */
(function () {
  "use strict";

  var collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

  function key(cell) {
    var v = cell.getAttribute("data-sort-value");
    return v === null ? cell.textContent.trim() : v;
  }

  function compare(numeric, ascending) {
    return function (a, b) {
      if (numeric) {
        var x = a.key === "" ? NaN : parseFloat(a.key);
        var y = b.key === "" ? NaN : parseFloat(b.key);
        if (isNaN(x) || isNaN(y)) {
          return isNaN(x) - isNaN(y) || a.index - b.index;
        }
        return (ascending ? x - y : y - x) || a.index - b.index;
      }
      var c = collator.compare(a.key, b.key);
      return (ascending ? c : -c) || a.index - b.index;
    };
  }

  function sort(table, th, status) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var col = th.cellIndex;
    var numeric = th.getAttribute("data-sort-type") === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: key(row.cells[col]), index: index };
    });
    rows.sort(compare(numeric, ascending));
    rows.forEach(function (r) {
      body.appendChild(r.row);
    });
    status.textContent =
      "Tableau trié par " + th.textContent.trim() + ", ordre " + (ascending ? "croissant" : "décroissant") + ".";
  }

  function enhance(table) {
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    table.parentNode.insertBefore(status, table.nextSibling);
    table.querySelectorAll("thead th[data-sort-type]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tri";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        sort(table, th, status);
      });
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(enhance);
})();
