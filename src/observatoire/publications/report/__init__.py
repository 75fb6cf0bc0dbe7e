"""The "Observatoire annuel du logement" of an EPCI or a département (issue #15 §3): its
content (`content`), frozen once per territory and year (`snapshot`), rendered as a
tagged PDF (`pdf`) or an editable DOCX (`docx`), in a public or an élus edition."""
