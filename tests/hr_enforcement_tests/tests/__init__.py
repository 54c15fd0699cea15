from . import test_menus
from . import test_every_way_in
from . import test_routes
from . import test_rpc_attacks
