from . import hr_enforcement_receipt_return
