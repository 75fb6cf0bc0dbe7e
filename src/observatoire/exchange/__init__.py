"""Exchange platform: documents, calls for contribution, défis habitat, contributions
tied to figures, partner data uploads, usage statistics and surveys."""
