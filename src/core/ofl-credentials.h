/* ofl-credentials.h: normalising and validating what a person pastes */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OFL_TOKEN_LENGTH 40

/* A token is a secret: it is kept in memory that is wiped before it is
 * freed. Use g_autoptr(OflSecret) or ofl_secret_free(). */
typedef char OflSecret;

OflSecret *ofl_secret_dup   (const char *secret);
void       ofl_secret_free  (OflSecret  *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflSecret, ofl_secret_free)

/* Trims surrounding whitespace and line breaks, then checks that exactly
 * 40 letters, digits and hyphens remain. On success returns the token in
 * wiped-on-free memory; otherwise sets OFL_ERROR_MALFORMED_TOKEN with a
 * message that says what is wrong. */
OflSecret *ofl_credentials_normalize_token (const char  *input,
                                            GError     **error);

/* A short live hint for a token field ("39 of 40 characters",
 * "Contains a space"), or NULL when the token is valid. */
char      *ofl_credentials_describe_token_problem (const char *input);

/* Where a token being typed or pasted stands: a field may show a neutral
 * count while it is short, and a problem at once only for a character
 * no token can have. */
typedef enum {
  OFL_TOKEN_STATE_EMPTY,      /* nothing but white space */
  OFL_TOKEN_STATE_LENGTH,     /* letters, digits and hyphens only, but not 40 */
  OFL_TOKEN_STATE_INVALID,    /* a character no token has (a space inside, "_") */
  OFL_TOKEN_STATE_VALID,
} OflTokenState;

/* @n_chars: how many characters count (after trimming). */
OflTokenState ofl_credentials_check_token (const char *input,
                                           glong      *n_chars);

/* Trims and lower-cases; checks that it looks like an address. Sets
 * OFL_ERROR_MALFORMED_EMAIL on failure. */
char      *ofl_credentials_normalize_email (const char  *input,
                                            GError     **error);

gboolean   ofl_credentials_email_equal     (const char  *a,
                                            const char  *b);

/* "•••• 3f9a": the last four characters, for summaries. */
char      *ofl_credentials_mask_token      (const char  *token);

G_END_DECLS
