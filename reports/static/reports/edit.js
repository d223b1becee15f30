// The report text editor: a live preview of the text as it is typed (numbers filled in).
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
})();
