/* test-link.c: OflLink, the record of one link */

#include "config.h"

#include <string.h>

#include "ofl-error.h"
#include "ofl-verifier.h"
#include "ofl-link.h"

static OflVerification *
make_verification (const char *account_id,
                   const char *user_name)
{
  OflVerification *v = g_new0 (OflVerification, 1);
  OflWorkspace *workspace = g_new0 (OflWorkspace, 1);
  const char *permissions[] = { "contract:create", NULL };

  v->account = g_new0 (OflAccount, 1);
  v->account->id = g_strdup (account_id);
  v->account->name = g_strdup ("Acme AB");
  v->user = g_new0 (OflUser, 1);
  v->user->email = g_strdup ("anna@example.com");
  v->user->name = g_strdup (user_name);
  v->user->active = TRUE;
  v->workspaces = g_ptr_array_new_with_free_func ((GDestroyNotify) ofl_workspace_free);
  workspace->id = 3;
  workspace->name = g_strdup ("Legal");
  workspace->permissions = g_strdupv ((char **) permissions);
  g_ptr_array_add (v->workspaces, workspace);

  return v;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));
  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_status_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFL_TYPE_LINK_STATUS);

  g_assert_cmpstr (g_enum_get_value (klass, OFL_LINK_STATUS_NEEDS_ATTENTION)->value_nick,
                   ==, "needs-attention");
  g_assert_cmpstr (ofl_link_status_to_nick (OFL_LINK_STATUS_OK), ==, "ok");
  g_assert_cmpstr (ofl_link_status_to_nick (OFL_LINK_STATUS_UNCHECKED), ==, "unchecked");
}

static void
test_identity (void)
{
  g_autoptr(OflLink) a = ofl_link_new (" Anna@Example.COM ", "1001", "https://api.oneflow.com/v1");
  g_autoptr(OflLink) b = ofl_link_new ("anna@example.com", "1001", "https://api.oneflow.com/v1");
  g_autoptr(OflLink) c = ofl_link_new ("anna@example.com", "2002", "https://api.oneflow.com/v1");

  g_assert_cmpstr (ofl_link_get_email (a), ==, "anna@example.com");
  g_assert_true (ofl_link_same_identity (a, b));
  g_assert_false (ofl_link_same_identity (a, c));
  g_assert_true (ofl_link_matches (c, "ANNA@example.com", "2002"));
  g_assert_true (ofl_link_matches (c, "anna@example.com", NULL));
  g_assert_false (ofl_link_matches (c, "bert@example.com", NULL));
  g_assert_cmpint (ofl_link_get_status (a), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_nonnull (ofl_link_get_workspaces (a));

  g_assert_finalize_object (g_steal_pointer (&a));
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(OflLink) link = ofl_link_new ("anna@example.com", "1001", "https://api.oneflow.com/v1");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  OflVerification *v = make_verification ("1001", "Anna");

  g_signal_connect (link, "notify", G_CALLBACK (count_notify), counts);

  ofl_link_set_account_name (link, "Acme AB");
  ofl_link_set_account_name (link, "Acme AB");
  g_assert_cmpuint (count_of (counts, "account-name"), ==, 1);

  ofl_link_set_busy (link, TRUE);
  ofl_link_set_busy (link, TRUE);
  g_object_set (link, "busy", TRUE, NULL);
  g_assert_cmpuint (count_of (counts, "busy"), ==, 1);

  ofl_link_set_workspaces (link, v->workspaces);
  ofl_link_set_workspaces (link, v->workspaces);
  g_assert_cmpuint (count_of (counts, "workspaces"), ==, 1);

  ofl_link_record_check (link, v, NULL);
  g_assert_cmpuint (count_of (counts, "status"), ==, 1);
  g_assert_cmpuint (count_of (counts, "account-name"), ==, 1);
  g_assert_cmpuint (count_of (counts, "workspaces"), ==, 1);
  g_assert_cmpuint (count_of (counts, "user-name"), ==, 1);
  g_assert_cmpuint (count_of (counts, "problem"), ==, 0);

  ofl_verification_free (v);
}

static void
test_record_check (void)
{
  g_autoptr(OflLink) link = ofl_link_new ("anna@example.com", "1001", "https://api.oneflow.com/v1");
  g_autoptr(GError) rejected = g_error_new_literal (OFL_ERROR, OFL_ERROR_TOKEN_REJECTED, "no");
  g_autoptr(GError) temporary = g_error_new_literal (OFL_ERROR, OFL_ERROR_UNAVAILABLE, "later");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
  g_autoptr(GDateTime) last_ok = NULL;
  OflVerification *v = make_verification ("1001", "Anna Andersson");
  OflVerification *other = make_verification ("2002", "Anna Andersson");

  /* Success: ok, details, both times. */
  ofl_link_record_check (link, v, NULL);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_OK);
  g_assert_null (ofl_link_get_problem (link));
  g_assert_cmpstr (ofl_link_get_account_name (link), ==, "Acme AB");
  g_assert_cmpstr (ofl_link_get_user_name (link), ==, "Anna Andersson");
  g_assert_cmpuint (ofl_link_get_workspaces (link)->len, ==, 1);
  g_assert_nonnull (ofl_link_get_last_ok (link));
  g_assert_true (g_date_time_equal (ofl_link_get_last_ok (link), ofl_link_get_last_checked (link)));
  last_ok = g_date_time_ref (ofl_link_get_last_ok (link));

  /* Temporary: no verdict, the status stays. */
  ofl_link_record_check (link, NULL, temporary);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpstr (ofl_link_get_problem (link), ==, "unavailable");
  g_assert_true (g_date_time_equal (ofl_link_get_last_ok (link), last_ok));

  /* Rejected: needs attention, and a later temporary failure keeps why. */
  ofl_link_record_check (link, NULL, rejected);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (link), ==, "token-rejected");
  ofl_link_record_check (link, NULL, temporary);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (link), ==, "token-rejected");

  /* Cancelled records nothing. */
  ofl_link_record_check (link, NULL, cancelled);
  g_assert_cmpstr (ofl_link_get_problem (link), ==, "token-rejected");

  /* Another account's token is not this link. */
  ofl_link_record_check (link, v, NULL);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_OK);
  ofl_link_record_check (link, other, NULL);
  g_assert_cmpint (ofl_link_get_status (link), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (link), ==, "other-account");

  ofl_verification_free (v);
  ofl_verification_free (other);
}

static void
test_json_round_trip (void)
{
  g_autoptr(OflLink) link = ofl_link_new ("anna@example.com", "1001", "https://api.oneflow.com/v1");
  g_autoptr(OflLink) copy = ofl_link_new ("anna@example.com", "1001", "https://api.oneflow.com/v1");
  g_autoptr(GError) rejected = g_error_new_literal (OFL_ERROR, OFL_ERROR_USER_DEACTIVATED, "no");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) public_node = NULL;
  g_autofree char *public_text = NULL;
  OflVerification *v = make_verification ("1001", "Anna Andersson");
  OflWorkspace *workspace;

  ofl_link_record_check (link, v, NULL);
  ofl_link_record_check (link, NULL, rejected);

  node = ofl_link_to_json (link);
  ofl_link_apply_json (copy, json_node_get_object (node));
  g_assert_cmpstr (ofl_link_get_account_name (copy), ==, "Acme AB");
  g_assert_cmpstr (ofl_link_get_user_name (copy), ==, "Anna Andersson");
  g_assert_cmpint (ofl_link_get_status (copy), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (copy), ==, "user-deactivated");
  g_assert_true (g_date_time_equal (ofl_link_get_last_checked (copy), ofl_link_get_last_checked (link)));
  g_assert_true (g_date_time_equal (ofl_link_get_last_ok (copy), ofl_link_get_last_ok (link)));
  workspace = g_ptr_array_index (ofl_link_get_workspaces (copy), 0);
  g_assert_cmpint (workspace->id, ==, 3);
  g_assert_cmpstr (workspace->name, ==, "Legal");
  g_assert_cmpstr (workspace->permissions[0], ==, "contract:create");

  public_node = ofl_link_to_public_json (link);
  public_text = json_to_string (public_node, FALSE);
  g_assert_nonnull (strstr (public_text, "\"status\":\"needs-attention\""));
  g_assert_nonnull (strstr (public_text, "\"workspaces\":[{\"id\":3,\"name\":\"Legal\"}]"));
  g_assert_null (strstr (public_text, "permissions"));

  ofl_verification_free (v);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/status-enum", test_status_enum);
  g_test_add_func ("/link/identity", test_identity);
  g_test_add_func ("/link/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/link/record-check", test_record_check);
  g_test_add_func ("/link/json-round-trip", test_json_round_trip);

  return g_test_run ();
}
