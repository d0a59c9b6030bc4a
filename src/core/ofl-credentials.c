/* ofl-credentials.c: normalising and validating what a person pastes */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ofl-credentials.h"
#include "ofl-error.h"

OflSecret *
ofl_secret_dup (const char *secret)
{
  return g_strdup (secret);
}

void
ofl_secret_free (OflSecret *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static gboolean
is_token_char (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-';
}

static gboolean
is_trimmable (gunichar c)
{
  /* Pasting from a browser can bring a no-break or zero-width space. */
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x200B || c == 0xFEFF;
}

/* Returns the trimmed range [*start, *end) of a valid UTF-8 string. */
static void
trim_range (const char  *input,
            const char **start,
            const char **end)
{
  const char *s = input;
  const char *e = input + strlen (input);

  while (*s && is_trimmable (g_utf8_get_char (s)))
    s = g_utf8_next_char (s);
  while (e > s)
    {
      const char *prev = g_utf8_prev_char (e);
      if (!is_trimmable (g_utf8_get_char (prev)))
        break;
      e = prev;
    }

  *start = s;
  *end = e;
}

typedef enum {
  TOKEN_OK,
  TOKEN_EMPTY,
  TOKEN_NOT_UTF8,
  TOKEN_SPACE,
  TOKEN_BAD_CHAR,
  TOKEN_LENGTH,
} TokenProblem;

static TokenProblem
check_token (const char  *input,
             const char **start,
             const char **end,
             glong       *n_chars,
             gunichar    *bad_char)
{
  *n_chars = 0;
  *bad_char = 0;

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    return TOKEN_NOT_UTF8;

  trim_range (input, start, end);
  if (*start == *end)
    return TOKEN_EMPTY;

  *n_chars = g_utf8_strlen (*start, *end - *start);

  for (const char *p = *start; p < *end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (is_trimmable (c))
        return TOKEN_SPACE;
      if (!is_token_char (c))
        {
          *bad_char = c;
          return TOKEN_BAD_CHAR;
        }
    }

  if (*n_chars != OFL_TOKEN_LENGTH)
    return TOKEN_LENGTH;

  return TOKEN_OK;
}

static char *
describe_problem (TokenProblem problem,
                  glong        n_chars,
                  gunichar     bad_char,
                  gboolean     full_sentence)
{
  switch (problem)
    {
    case TOKEN_OK:
      return NULL;
    case TOKEN_EMPTY:
      return g_strdup (full_sentence
                       ? _("The token is empty. Paste the API token you copied from Oneflow.")
                       : _("Paste the token from Oneflow"));
    case TOKEN_NOT_UTF8:
      return g_strdup (_("The token contains characters that are not text. Copy it from Oneflow again."));
    case TOKEN_SPACE:
      return g_strdup (full_sentence
                       ? _("The token contains a space. A Oneflow API token has only letters, digits and hyphens; copy it from Oneflow again.")
                       : _("Contains a space"));
    case TOKEN_BAD_CHAR:
      {
        char utf8[7] = { 0 };
        g_unichar_to_utf8 (bad_char, utf8);
        return full_sentence
          /* Translators: %s is the offending character, e.g. "_" */
          ? g_strdup_printf (_("The token contains “%s”. A Oneflow API token has only letters, digits and hyphens; copy it from Oneflow again."), utf8)
          /* Translators: %s is the offending character, e.g. "_" */
          : g_strdup_printf (_("Contains “%s”, which is not allowed"), utf8);
      }
    case TOKEN_LENGTH:
      return full_sentence
        /* Translators: the first %ld is how many characters were pasted */
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The token has %ld character; a Oneflow API token has %d. Copy the whole token from Oneflow.",
                                        "The token has %ld characters; a Oneflow API token has %d. Copy the whole token from Oneflow.",
                                        n_chars),
                           n_chars, OFL_TOKEN_LENGTH)
        /* Translators: "39 of 40 characters" */
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%ld of %d characters",
                                        "%ld of %d characters",
                                        n_chars),
                           n_chars, OFL_TOKEN_LENGTH);
    default:
      g_assert_not_reached ();
    }
}

OflTokenState
ofl_credentials_check_token (const char *input,
                             glong      *n_chars)
{
  const char *start = NULL, *end = NULL;
  glong count;
  gunichar bad_char;
  TokenProblem problem = check_token (input, &start, &end, &count, &bad_char);

  if (n_chars != NULL)
    *n_chars = count;

  switch (problem)
    {
    case TOKEN_OK:
      return OFL_TOKEN_STATE_VALID;
    case TOKEN_EMPTY:
      return OFL_TOKEN_STATE_EMPTY;
    case TOKEN_LENGTH:
      return OFL_TOKEN_STATE_LENGTH;
    case TOKEN_NOT_UTF8:
    case TOKEN_SPACE:
    case TOKEN_BAD_CHAR:
    default:
      return OFL_TOKEN_STATE_INVALID;
    }
}

OflSecret *
ofl_credentials_normalize_token (const char  *input,
                                 GError     **error)
{
  const char *start = NULL, *end = NULL;
  glong n_chars;
  gunichar bad_char;
  TokenProblem problem = check_token (input, &start, &end, &n_chars, &bad_char);

  if (problem != TOKEN_OK)
    {
      g_autofree char *message = describe_problem (problem, n_chars, bad_char, TRUE);
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_TOKEN, message);
      return NULL;
    }

  return g_strndup (start, end - start);
}

char *
ofl_credentials_describe_token_problem (const char *input)
{
  const char *start = NULL, *end = NULL;
  glong n_chars;
  gunichar bad_char;
  TokenProblem problem = check_token (input, &start, &end, &n_chars, &bad_char);

  return describe_problem (problem, n_chars, bad_char, FALSE);
}

static gboolean
is_atext (char c)
{
  /* RFC 5322 atext, ASCII only: Oneflow sign-ins are plain addresses. */
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static gboolean
is_valid_local_part (const char *s, gsize len)
{
  if (len == 0 || len > 64 || s[0] == '.' || s[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '.' && i + 1 < len && s[i + 1] == '.')
        return FALSE;
      if (s[i] != '.' && !is_atext (s[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_valid_domain (const char *s, gsize len)
{
  gsize label_len = 0;
  gboolean has_dot = FALSE;

  if (len == 0 || len > 253)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];
      if (c == '.')
        {
          if (label_len == 0 || s[i - 1] == '-')
            return FALSE;
          has_dot = TRUE;
          label_len = 0;
          continue;
        }
      if (!g_ascii_isalnum (c) && c != '-')
        return FALSE;
      if (c == '-' && label_len == 0)
        return FALSE;
      if (++label_len > 63)
        return FALSE;
    }

  return has_dot && label_len > 0 && s[len - 1] != '-';
}

char *
ofl_credentials_normalize_email (const char  *input,
                                 GError     **error)
{
  const char *start = NULL, *end = NULL;
  const char *at;
  g_autofree char *trimmed = NULL;

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL,
                           _("The email address contains characters that are not text. Type it again."));
      return NULL;
    }

  trim_range (input, &start, &end);
  trimmed = g_strndup (start, end - start);

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL,
                           _("Enter the email address of an active Oneflow user."));
      return NULL;
    }

  at = strrchr (trimmed, '@');
  if (at == NULL)
    {
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL,
                           _("The email address needs an “@”, like anna@example.com."));
      return NULL;
    }

  if (!is_valid_local_part (trimmed, at - trimmed))
    {
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL,
                           _("The part before “@” is not valid. Use an address like anna@example.com."));
      return NULL;
    }

  if (!is_valid_domain (at + 1, strlen (at + 1)))
    {
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL,
                           _("The part after “@” must be a domain, like example.com."));
      return NULL;
    }

  return g_ascii_strdown (trimmed, -1);
}

gboolean
ofl_credentials_email_equal (const char *a,
                             const char *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_ascii_strcasecmp (a, b) == 0;
}

char *
ofl_credentials_mask_token (const char *token)
{
  gsize len = token ? strlen (token) : 0;

  if (len < 4)
    return g_strdup ("••••");
  return g_strdup_printf ("•••• %s", token + len - 4);
}
