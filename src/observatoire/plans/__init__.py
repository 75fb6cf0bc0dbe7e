"""Follow-up of housing plans (PLH, PDH, PD2H, PIG, PDALHPD): action sheets, budgets,
milestones, indicators, territorialised production objectives and their bilans."""
