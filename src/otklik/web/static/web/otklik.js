// Otklik: every table in the page body sits in a box that scrolls sideways when the table is wider than the
// page (a report with many columns), so the page itself keeps the window's width. New content from htmx too.
(function () {
  "use strict";
  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.parentElement && table.parentElement.classList.contains("table-scroll")) continue;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
  }
  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });
  document.addEventListener("htmx:load", function (event) { wrapTables(event.target); });
})();
