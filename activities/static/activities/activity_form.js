/* The activity form (activities/activity_form.html), without inline script:
 * - the fields of one kind (the community of a volunteer service, the people visited, the
 *   trainees) show only when that kind is chosen (without JavaScript every field shows);
 * - 全选 ticks every attendee;
 * - on the entry page, picking the organizing organization reloads the page offering its members
 *   on the activity's date (the kind and the date typed are kept);
 * - 添加一人 adds a row for one more person visited, or one more absent member (a Django formset
 *   row, with its member picker).
 */
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) { return; }

  var kind = document.getElementById("id_kind");
  function showKindFields() {
    form.querySelectorAll("[data-kind]").forEach(function (row) {
      row.hidden = row.getAttribute("data-kind") !== kind.value;
    });
  }
  if (kind) {
    kind.addEventListener("change", showKindFields);
    showKindFields();
  }

  var all = document.getElementById("all-attendees");
  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      form.querySelectorAll("input[name=attendees]").forEach(function (box) { box.checked = true; });
    });
  }

  var reloadUrl = form.getAttribute("data-choose-organization");
  var organization = form.querySelector("[data-picker][data-name=organization]");
  if (reloadUrl && organization) {
    organization.addEventListener("picker:change", function (event) {
      if (!event.detail) { return; }
      var params = new URLSearchParams();
      params.set("organization", event.detail.id);
      if (kind && kind.value) { params.set("kind", kind.value); }
      var date = form.elements.namedItem("date");
      if (date && date.value) { params.set("date", date.value); }
      window.location.assign(reloadUrl + "?" + params.toString());
    });
  }

  function addRows(name, prefix, label) {
    var add = document.getElementById("add-" + name);
    var template = document.getElementById(name + "-template");
    var rows = document.getElementById(name + "-rows");
    var total = form.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
    if (!(add && template && rows && total)) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      row.querySelector("." + name + "-number span, .row-number span").textContent = String(index + 1);
      row.setAttribute("aria-label", label + (index + 1));
      rows.appendChild(row);
      total.value = String(index + 1);
      if (window.jiguanPickers) { window.jiguanPickers.start(row); }
      var first = row.querySelector("[role=combobox]");
      if (first) { first.focus(); }
    });
  }
  addRows("visit", "visits", "慰问对象");
  addRows("absence", "absences", "缺席党员");
})();
