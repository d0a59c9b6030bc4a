#include "ofl-fake-server.h"
