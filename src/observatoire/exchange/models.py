"""Documents, calls for contribution, défis, contributions on figures, partner uploads,
surveys (see the issue and docs/)."""
