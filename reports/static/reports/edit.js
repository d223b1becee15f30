// The report text editor: a live preview of the text as it is typed (numbers filled in), and the
// chooser (插入数字) that inserts a number's placeholder at the cursor, chosen by its Chinese name.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var text = document.getElementById("id_text");
  var preview = document.getElementById("preview");
  var message = document.getElementById("preview-message");
  if (!form || !text || !preview) {
    return;
  }
  var timer = null, sequence = 0;
  function refresh() {
    var mine = ++sequence;
    var body = new FormData();
    body.append("text", text.value);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.dataset.previewUrl, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== sequence) return;
        preview.innerHTML = data.html;
        message.textContent = data.message;
        message.classList.toggle("d-none", !data.message);
      })
      .catch(function () { preview.textContent = "预览暂时无法生成。"; });
  }
  text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  refresh();

  var chooser = document.getElementById("metric-chooser");
  var search = document.getElementById("metric-search");
  var approx = document.getElementById("metric-approx");
  if (!chooser || !search) {
    return;
  }
  chooser.hidden = false;
  var options = Array.prototype.slice.call(chooser.querySelectorAll("[data-code]"));
  // Where the cursor was in the text when the chooser took the focus.
  var start = text.value.length, end = text.value.length;
  text.addEventListener("blur", function () { start = text.selectionStart; end = text.selectionEnd; });

  function insert(option) {
    var code = option.getAttribute("data-code");
    var suffix = approx && approx.checked && option.hasAttribute("data-number") ? "|余" : "";
    var token = "{{ " + code + suffix + " }}";
    text.focus();
    text.setRangeText(token, start, end, "end");
    start = end = text.selectionEnd;
    text.dispatchEvent(new Event("input", {bubbles: true}));
  }
  options.forEach(function (option) {
    option.addEventListener("click", function () { insert(option); });
  });
  search.addEventListener("input", function () {
    var query = search.value.trim().toLowerCase();
    options.forEach(function (option) {
      var label = option.textContent.toLowerCase(), code = option.getAttribute("data-code");
      option.hidden = query !== "" && label.indexOf(query) < 0 && code.indexOf(query) < 0;
    });
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    event.preventDefault();  // never submits the form
    var first = options.filter(function (option) { return !option.hidden; })[0];
    if (first) { insert(first); }
  });
})();
