"""Reads for the citizen portal: catalog pages and dossiers as the public and their applicant see them."""
