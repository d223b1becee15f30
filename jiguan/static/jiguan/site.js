// Behaviours shared by every page, declared in the markup (the Content-Security-Policy allows no
// inline script or event handler):
//   <form data-confirm="确定删除？">     asks before submitting
//   <select data-autosubmit>            submits its form when changed
//   <a href="…" data-history-back>      goes back a page (the link's own address without JavaScript)
//   a picker with data-insert-into="ID"   puts the chosen name in the second column (｜) of the line
//                                         of textarea ID where the cursor is, then clears itself
//   <input data-next-number="URL" data-date-field="ID">  a document number's prefix: its help text
//                                         (ID_help) says the number URL?prefix=&date= will give
//   <input data-register-url="URL">     a 文号: the register's numbers matching what is typed are
//                                         offered as the input's <datalist> (URL?q= answers them)
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  function showNextNumber(input) {
    var help = document.getElementById(input.id + "_help");
    var day = document.getElementById(input.getAttribute("data-date-field"));
    if (!help) { return; }
    var query = "?prefix=" + encodeURIComponent(input.value) + "&date=" + encodeURIComponent(day ? day.value : "");
    fetch(input.getAttribute("data-next-number") + query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { help.textContent = data.text; } });
  }
  document.querySelectorAll("input[data-next-number]").forEach(function (input) {
    var timer = null;
    function later() { window.clearTimeout(timer); timer = window.setTimeout(function () { showNextNumber(input); }, 250); }
    input.addEventListener("input", later);
    var day = document.getElementById(input.getAttribute("data-date-field"));
    if (day) { day.addEventListener("change", later); }
  });
  document.querySelectorAll("input[data-register-url]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "_register";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    function suggest() {
      fetch(input.getAttribute("data-register-url") + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          list.textContent = "";
          data.numbers.forEach(function (d) {
            var option = document.createElement("option");
            option.value = d.number;
            option.label = d.title;
            list.appendChild(option);
          });
        });
    }
    input.addEventListener("focus", suggest);
    input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(suggest, 250); });
  });
  document.addEventListener("picker:change", function (event) {
    var source = event.target.querySelector && event.target.querySelector("[data-insert-into]");
    var area = source && document.getElementById(source.getAttribute("data-insert-into"));
    if (!area || !event.detail) { return; }
    var text = area.value;
    var at = area.selectionStart === undefined ? text.length : area.selectionStart;
    var start = text.lastIndexOf("\n", at - 1) + 1;
    var end = text.indexOf("\n", at);
    if (end < 0) { end = text.length; }
    var parts = text.slice(start, end).split(/[|｜]/);
    while (parts.length < 2) { parts.push(""); }
    parts[1] = event.detail.name;
    var line = parts.join("｜");
    area.value = text.slice(0, start) + line + text.slice(end);
    area.focus();
    area.setSelectionRange(start + line.length, start + line.length);
    var hidden = event.target.querySelector("input[type=hidden]");
    if (hidden) { hidden.value = ""; }
    source.value = "";
  });
})();
