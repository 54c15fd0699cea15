from . import hr_enforcement_document_issue
from . import base_partner_merge_automatic_wizard
