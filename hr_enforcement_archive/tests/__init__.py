from . import test_access
from . import test_case_file
from . import test_dashboard
from . import test_deadlines
from . import test_violation
