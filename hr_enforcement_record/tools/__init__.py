# Plain-Python proofs shared by the models and the outsider's verifier; no Odoo imports.
