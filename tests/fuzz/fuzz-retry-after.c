/* fuzz-retry-after.c: Retry-After header values */

#include "config.h"

#include "ofl-api-types.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *value = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 12, 0, 0);
  guint seconds = 0;

  if (ofl_parse_retry_after (value, now, &seconds))
    g_assert (seconds <= G_MAXUINT);

  return 0;
}
