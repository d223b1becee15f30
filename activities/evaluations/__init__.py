"""Organization-level evaluations (DOMAIN.md, "Integrity work and evaluations"): the quantified
assessment sheet (考核量化表), the secretaries' annual reports and grades (书记抓基层党建述职评议考核)
and the democratic appraisal of members (民主评议党员)."""
