/* fuzz-credentials.c: token and email normalisation over any bytes */

#include "config.h"

#include <string.h>

#include "ofl-credentials.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(OflSecret) token = ofl_credentials_normalize_token (input, NULL);
  g_autofree char *hint = ofl_credentials_describe_token_problem (input);
  g_autofree char *email = ofl_credentials_normalize_email (input, NULL);

  /* A token is accepted exactly when there is nothing to say about it. */
  g_assert ((token == NULL) == (hint != NULL));
  if (token != NULL)
    {
      g_autofree char *masked = ofl_credentials_mask_token (token);
      g_assert (strlen (token) == OFL_TOKEN_LENGTH);
      g_assert (masked != NULL);
    }
  if (email != NULL)
    {
      g_autofree char *again = ofl_credentials_normalize_email (email, NULL);
      /* Normalising is idempotent, and the result is lower-case ASCII. */
      g_assert (g_strcmp0 (again, email) == 0);
      for (const char *p = email; *p; p++)
        g_assert (!g_ascii_isupper (*p) && (guchar) *p < 0x80);
    }

  return 0;
}
