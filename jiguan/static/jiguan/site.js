// Behaviours shared by every page, declared in the markup (the Content-Security-Policy allows no
// inline script or event handler):
//   <form data-confirm="确定删除？">     asks before submitting
//   <select data-autosubmit>            submits its form when changed
//   <a href="…" data-history-back>      goes back a page (the link's own address without JavaScript)
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
})();
