/* ofl-api-types.h: what the Oneflow API returns, as plain typed structs */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *id;              /* Oneflow sends a number; kept as text */
  char *name;
} OflAccount;

typedef struct {
  gint64    id;
  char     *email;       /* lower-cased */
  char     *name;
  gboolean  active;
  gboolean  is_admin;
} OflUser;

typedef struct {
  gint64   id;
  char    *name;
  GStrv    permissions;  /* the _permissions keys that are true, sorted */
} OflWorkspace;

/* One page of a list endpoint. */
typedef struct {
  guint      count;      /* the total over all pages */
  GPtrArray *items;      /* OflUser* or OflWorkspace* */
} OflPage;

/* The RFC 7807-style body of an error response. */
typedef struct {
  int    status;
  gint64 error_code;
  char  *title;
  char  *detail;
  char  *request_id;
} OflProblem;

void          ofl_account_free   (OflAccount         *account);
OflUser      *ofl_user_copy      (const OflUser      *user);
void          ofl_user_free      (OflUser            *user);
OflWorkspace *ofl_workspace_copy (const OflWorkspace *workspace);
void          ofl_workspace_free (OflWorkspace       *workspace);
void          ofl_page_free      (OflPage            *page);
void          ofl_problem_free   (OflProblem         *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflAccount, ofl_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflUser, ofl_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflWorkspace, ofl_workspace_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflPage, ofl_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflProblem, ofl_problem_free)

/* What is kept of a response is bounded: a name or email longer than this
 * (in bytes), a workspace with more permissions, or a permission name
 * longer than this, is an unexpected response. */
#define OFL_API_MAX_TEXT_LENGTH       256
#define OFL_API_MAX_PERMISSIONS       16
#define OFL_API_MAX_PERMISSION_LENGTH 48

/* Parsers: pure functions over a response body, fuzzed in tests/fuzz.
 * Each sets OFL_ERROR_UNEXPECTED_RESPONSE on anything malformed. */
OflAccount *ofl_parse_account        (const char  *data,
                                      gsize        length,
                                      GError     **error);
OflPage    *ofl_parse_user_page      (const char  *data,
                                      gsize        length,
                                      GError     **error);
OflPage    *ofl_parse_workspace_page (const char  *data,
                                      gsize        length,
                                      GError     **error);
/* Never fails: returns NULL when the body is not a problem document. */
OflProblem *ofl_parse_problem        (const char  *data,
                                      gsize        length);
/* Retry-After: delta-seconds or an HTTP date. Returns FALSE if invalid;
 * dates in the past give 0. */
gboolean    ofl_parse_retry_after    (const char  *value,
                                      GDateTime   *now,
                                      guint       *seconds);

G_END_DECLS
