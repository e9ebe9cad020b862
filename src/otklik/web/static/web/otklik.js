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

// A form the server refused: the page's title says so, and the focus goes to the field the refusal is about (the
// view's `error_field`, marked aria-invalid and described by the message) or else to the message itself, so that a
// keyboard or screen-reader user is not left at the top of the page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("messages");
    if (!box || !box.querySelector("li.error")) return;
    document.title = "Ошибка: " + document.title;
    var name = box.getAttribute("data-field");
    // a form field's name, or «#id» where several forms of the page have a field of that name
    var field = !name ? null
      : name.charAt(0) === "#" ? document.getElementById(name.slice(1))
      : document.querySelector('main form [name="' + name + '"]');
    if (field) {
      // a field in a folded section (a form under «Передать…», «Ответ органа не нужен») is unfolded first
      var folded = field.closest("details");
      if (folded) folded.open = true;
      // the reason beside the field too: focusing it scrolls the page, and the message at the top goes out of sight
      var note = document.createElement("small");
      note.className = "errorlist field-error";
      note.id = "field-error";
      note.textContent = box.querySelector("li.error").textContent.trim();
      field.insertAdjacentElement("afterend", note);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", "field-error");
      field.focus();
    } else {
      box.focus();
    }
  });
})();

// A link drawn as a button (role="button") is pressed with Space too, as a button is; Space no longer scrolls.
document.addEventListener("keydown", function (event) {
  "use strict";
  var target = event.target;
  if (event.key === " " && target instanceof HTMLAnchorElement && target.getAttribute("role") === "button") {
    event.preventDefault();
    target.click();
  }
});

// A required field left empty is named in Russian whatever the browser's own language (its message would follow
// the browser's: «Please select an item in the list.»); typing or choosing clears it.
(function () {
  "use strict";
  // a date's limit as the field shows dates: 2000-01-01 → 01.01.2000
  function shown(iso) {
    return iso.split("-").reverse().join(".");
  }
  function said(field) {
    if (field.validity.valueMissing) {
      if (field.tagName === "SELECT") return "Выберите значение из списка.";
      if (field.type === "checkbox") return "Отметьте это поле.";
      if (field.type === "file") return "Выберите файл.";
      return "Заполните это поле.";
    }
    if (field.validity.typeMismatch && field.type === "email") return "Введите адрес электронной почты.";
    if (field.validity.typeMismatch && field.type === "url") return "Введите ссылку (адрес, начинающийся с https://).";
    if (field.type === "date" && field.validity.rangeUnderflow) return "Укажите дату не раньше " + shown(field.min) + ".";
    if (field.type === "date" && field.validity.rangeOverflow) return "Укажите дату не позже " + shown(field.max) + ".";
    if (field.validity.rangeUnderflow) return "Значение должно быть не меньше " + field.min + ".";
    if (field.validity.rangeOverflow) return "Значение должно быть не больше " + field.max + ".";
    if (field.validity.badInput) return "Введите число.";
    if (field.validity.stepMismatch) return "Введите целое число.";
    if (field.validity.tooShort) return "Слишком коротко: не меньше " + field.minLength + " знаков.";
    if (field.validity.tooLong) return "Слишком длинно: не больше " + field.maxLength + " знаков.";
    if (field.validity.patternMismatch) return field.title || "Значение в неверном виде.";
    return "Проверьте значение поля.";
  }
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity) return;
    field.setCustomValidity("");
    if (!field.validity.valid) field.setCustomValidity(said(field));
  }, true);
  // every field of the form: a change of one (the draft's kind) may lift another's requirement set by a script
  function clear(event) {
    var form = event.target.form;
    var fields = form ? form.elements : [event.target];
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].setCustomValidity) fields[i].setCustomValidity("");
    }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);
})();

// A link that opens a new tab says so to a screen reader (WCAG 3.2.5): the networks' pages, sources, attachments.
(function () {
  "use strict";
  function mark(root) {
    var links = (root || document).querySelectorAll('a[target="_blank"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].querySelector(".new-tab")) continue;
      var note = document.createElement("span");
      note.className = "visually-hidden new-tab";
      note.textContent = " (откроется в новой вкладке)";
      links[i].appendChild(note);
    }
  }
  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  document.addEventListener("htmx:load", function (event) { mark(event.target); });
})();

// a body with nobody in it, chosen (or suggested) on the dispatch form or «Переназначить», is said beside the
// list — a long name cuts the «(нет сотрудников)» of the closed list off.
(function () {
  "use strict";
  function warn(select) {
    var option = select.selectedOptions[0];
    var empty = option && option.hasAttribute("data-empty");
    var note = select.nextElementSibling;
    var shown = note && note.classList.contains("empty-body");
    if (empty && !shown) {
      note = document.createElement("small");
      note.className = "empty-body";
      note.setAttribute("role", "status");
      note.textContent = "В этом органе нет сотрудников: обращение никто не возьмёт, пока их не внесут.";
      select.insertAdjacentElement("afterend", note);
    } else if (!empty && shown) {
      note.remove();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].querySelector("option[data-empty]")) warn(selects[i]);
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" && event.target.querySelector("option[data-empty]")) warn(event.target);
  });
})();

// No in-place request (htmx) fails silently: htmx itself leaves the page as it was on an error answer or a lost
// connection. A refusal whose answer is a note for the page (the header X-Otklik-Said: a page gone stale after
// signing in again, `web.stale_page`) is shown where the answer goes; any other failure is said in Russian beside
// the form or field that sent it, and the note goes once the same element's next request succeeds.
(function () {
  "use strict";
  function anchorOf(elt) {
    var anchor = elt.closest("form") || elt;
    var table = anchor.closest("table");
    if (table) anchor = table.closest(".table-scroll") || table;  // a note is no table row
    return anchor;
  }
  function noteAfter(anchor) {
    var next = anchor.nextElementSibling;
    return next && next.classList.contains("in-place-failed") ? next : null;
  }
  function say(elt, text) {
    var anchor = anchorOf(elt);
    var note = noteAfter(anchor);
    if (!note) {
      note = document.createElement("p");
      note.className = "said error in-place-failed";
      note.setAttribute("data-testid", "in-place-failed");
      note.appendChild(document.createElement("span")).setAttribute("role", "alert");
      anchor.insertAdjacentElement("afterend", note);
    }
    note.firstChild.textContent = text;
  }
  function failure(status) {
    if (status === 403) return "Действие не выполнено: нет прав на него или страница устарела. Обновите страницу (F5) и повторите; введённый текст перед этим скопируйте.";
    if (status === 404) return "Действие не выполнено: то, к чему оно относится, не найдено — возможно, его уже изменили или удалили. Обновите страницу (F5).";
    if (status === 409) return "Действие не выполнено: данные уже изменил другой сотрудник. Обновите страницу (F5) и повторите; введённый текст перед этим скопируйте.";
    if (status === 429) return "Действие не выполнено: слишком много запросов подряд. Подождите минуту и повторите.";
    if (status >= 500) return "Действие не выполнено: ошибка на сервере (код " + status + "), она записана в журнал. Повторите позже; введённый текст не закрывайте и при необходимости скопируйте.";
    return "Действие не выполнено: сервер отказал (код " + status + "). Обновите страницу (F5) и повторите; введённый текст перед этим скопируйте.";
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Otklik-Said")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    say(event.detail.elt, failure(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function (event) {
    say(event.detail.elt, "Действие не выполнено: нет связи с сервером Отклика. Проверьте подключение к сети и повторите; введённый текст на странице сохранён — не закрывайте её.");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var note = noteAfter(anchorOf(event.detail.elt));
    if (note) note.remove();
  });
})();
