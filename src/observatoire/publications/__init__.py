"""Printed publications: the fiche territoire (monographie) of any territory, alone from
its portrait or in batch for every commune of a territory (issue #15 §1)."""
