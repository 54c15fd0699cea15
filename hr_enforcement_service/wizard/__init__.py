from . import hr_enforcement_receipt_return
from . import hr_enforcement_document_issue
