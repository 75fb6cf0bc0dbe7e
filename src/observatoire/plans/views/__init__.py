"""The plans' pages: `public` (list, plan overview, action sheet, and the helpers the other
views share), `tables` (actions table, calendar), `objectives` (production objectives),
`edit` (the pilots' entries), `reports` (fiches, bilan annuel) and `workbook` (import and
export of a plan workbook)."""
