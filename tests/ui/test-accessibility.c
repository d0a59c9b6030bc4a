/* test-accessibility.c: every control in every view and page has an
 * accessible name (its label or title, an explicit label, or a
 * labelled-by relation). How each name is read out, once and without
 * its mnemonic, is checked through AT-SPI by the e2e test. */

#include "config.h"

#include "ofl-link-row.h"
#include "ofl-ui-test.h"

static GString *problems;
static guint n_checked;

static gboolean
inside (GtkWidget *widget,
        GType      type)
{
  return gtk_widget_get_ancestor (gtk_widget_get_parent (widget), type) != NULL;
}

static gboolean
has_label_text (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        return TRUE;
      if (has_label_text (child))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  if (ADW_IS_PREFERENCES_ROW (widget))
    return *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) != '\0';

  /* GTK 4.18 names a button with no text by its tooltip (libadwaita's
   * toast close button is one; the e2e test hears it through AT-SPI). */
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    return has_label_text (widget) || gtk_widget_get_tooltip_text (widget) != NULL;

  return FALSE;
}

static void
check_tree (GtkWidget  *widget,
            const char *where)
{
  gboolean control;

  /* libadwaita's and GTK's own insides name themselves. */
  if (GTK_IS_WINDOW_CONTROLS (widget) || GTK_IS_POPOVER (widget))
    return;
  /* Switched off for good (an expander row's unused switch); a page that
   * is merely not shown now is still visible in this sense. */
  if (!gtk_widget_get_visible (widget))
    return;

  control = (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
             GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
             ADW_IS_ENTRY_ROW (widget) ||
             (GTK_IS_EDITABLE (widget) && !inside (widget, ADW_TYPE_ENTRY_ROW))) &&
            !inside (widget, GTK_TYPE_MENU_BUTTON) &&
            !inside (widget, ADW_TYPE_ENTRY_ROW) &&
            /* The text inside a GtkPasswordEntry: the entry is the control. */
            gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) != GTK_ACCESSIBLE_ROLE_NONE;

  /* An icon button, the app's or libadwaita's (the password row's show
   * button), inside an entry row or not: GTK 4.8 names it by its label,
   * else its tooltip, else its type ("GtkImage"). */
  if (GTK_IS_BUTTON (widget) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))) &&
      !inside (widget, GTK_TYPE_MENU_BUTTON) && !inside (widget, GTK_TYPE_WINDOW_CONTROLS) &&
      g_strcmp0 (G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), "AdwToastWidget") != 0)
    {
      n_checked++;
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          gtk_widget_get_tooltip_text (widget) == NULL)
        g_string_append_printf (problems, "  %s: an icon button (in a %s) has no label and no tooltip\n",
                                where, G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
    }

  if (control)
    {
      n_checked++;
      if (!is_named (widget))
        g_string_append_printf (problems, "  %s: a %s (id %s, in a %s) has no accessible name\n",
                                where, G_OBJECT_TYPE_NAME (widget),
                                gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) ?: "none",
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_tree (child, where);
}

static void
on_ready (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_every_control_named (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = ofl_link_new (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, ofl_fake_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  OflWindow *window;
  GtkWidget *row;

  problems = g_string_new (NULL);

  /* A stored link, so the accounts view has a row to look at. */
  ofl_store_save_async (store, link, OFL_FAKE_TOKEN_ACME, NULL, on_ready, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (ofl_store_save_finish (store, result, NULL));

  window = ofl_ui_test_new_window ();
  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  g_assert_nonnull (row);
  ofl_ui_test_activate (row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (ofl_link_row_get_link (OFL_LINK_ROW (row))));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* The whole window: welcome, accounts and every page of the assistant
   * (made on first use, so made here) are all in its tree, shown or not. */
  g_assert_nonnull (ofl_ui_test_assistant (window));
  check_tree (GTK_WIDGET (window), "window");

  /* The connect page after a failure has its fix buttons. */
  ofl_ui_test_fill (window, "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2", OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_connect (window);
  check_tree (GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_CONNECT)), "connect page after a failure");

  /* A message dialog's response buttons have mnemonics too. */
  ofl_ui_test_activate (row, "link.remove");
  WAIT_UNTIL (ofl_ui_test_find_dialog (window) != NULL);
  check_tree (GTK_WIDGET (ofl_ui_test_find_dialog (window)), "the remove dialog");
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "cancel");

  g_test_message ("checked %u controls", n_checked);
  g_assert_cmpuint (n_checked, >, 20);
  if (problems->len > 0)
    g_error ("Controls without an accessible name:\n%s", problems->str);

  g_string_free (problems, TRUE);
  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/accessibility/every-control-named", test_every_control_named);

  return g_test_run ();
}
