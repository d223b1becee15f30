// The activity form. Fields of one kind only (the community of a volunteer service, the people
// visited, the trainees) show when that kind is chosen; without JavaScript every field shows.
// Where the organizing organization is chosen on the form, choosing it reloads the page offering
// its members as attendees.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (kind) {
    var showKindFields = function () {
      document.querySelectorAll("[data-kind]").forEach(function (row) {
        row.hidden = row.dataset.kind !== kind.value;
      });
    };
    kind.addEventListener("change", showKindFields);
    showKindFields();
  }
  var all = document.getElementById("all-attendees");
  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      document.querySelectorAll("input[name=attendees]").forEach(function (box) { box.checked = true; });
    });
  }
  var form = document.getElementById("activity-form");
  var organization = document.getElementById("id_organization");
  if (form && organization && form.hasAttribute("data-choose-organization")) {
    organization.addEventListener("change", function () {
      var params = new URLSearchParams(window.location.search);
      if (this.value) { params.set("organization", this.value); } else { params.delete("organization"); }
      if (kind && kind.value) { params.set("kind", kind.value); }
      // The trainees offered are those who were activists or candidates on the activity's date.
      var day = document.getElementById("id_date");
      if (day && day.value) { params.set("date", day.value); }
      window.location.search = params.toString();
    });
  }
})();
