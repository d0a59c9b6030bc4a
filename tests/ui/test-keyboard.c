/* test-keyboard.c: every page can be done with the keyboard alone.
 *
 * What test-navigation and test-close already cover is not repeated here
 * (focus on step 1's box, Enter on step 1, the Alt+Left and Escape
 * bindings). This adds, page by page:
 *   - Tab order follows the visual order (top to bottom, then left to
 *     right), and Tab reaches every control on the page;
 *   - focus lands on the page's first field (or its main button; on
 *     Generate Token, which has neither, its first instruction);
 *   - Enter advances on every step;
 *   - the main buttons have mnemonics, and no two controls showing at the
 *     same time share one. */

#include "config.h"

#include "ofl-enable-page.h"
#include "ofl-generate-page.h"
#include "ofl-ui-test.h"

static GtkWidget *
focus_of (OflWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_in (OflWindow *window,
          gpointer   widget)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The control that owns the focus widget: an entry row for its inner text. */
static GtkWidget *
control_of (GtkWidget *focus)
{
  GtkWidget *row = gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW);

  return row ? row : focus;
}

/* Tab, as the key does it (GtkWindow's move-focus), until focus comes back
 * round; the controls inside @page in the order Tab reached them. */
static GPtrArray *
tab_chain (OflWindow *window,
           GtkWidget *page)
{
  GPtrArray *chain = g_ptr_array_new ();
  GtkWidget *first = NULL;

  for (guint i = 0; i < 60; i++)
    {
      GtkWidget *focus;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = focus_of (window);
      if (focus == NULL)
        continue;
      focus = control_of (focus);
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;
      if (gtk_widget_is_ancestor (focus, page) && !g_ptr_array_find (chain, focus, NULL))
        g_ptr_array_add (chain, focus);
    }

  return chain;
}

static void
check_tab_order (OflWindow  *window,
                 GtkWidget  *page,
                 const char *name,
                 guint       min_controls)
{
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree graphene_point_t *points = NULL;
  double last_y = -1, last_x = -1;
  guint start = 0;

  /* Positions once the page has slid into place and been laid out. */
  ofl_ui_test_wait_settled (page);
  chain = tab_chain (window, page);

  g_test_message ("%s: Tab reaches %u controls", name, chain->len);
  g_assert_cmpuint (chain->len, >=, min_controls);

  /* Tab goes round: read the round from the control highest up. */
  points = g_new0 (graphene_point_t, chain->len);
  for (guint i = 0; i < chain->len; i++)
    {
      g_assert_true (gtk_widget_compute_point (chain->pdata[i], GTK_WIDGET (window),
                                               &GRAPHENE_POINT_INIT (0, 0), &points[i]));
      if (points[i].y < points[start].y - 1 ||
          (ABS (points[i].y - points[start].y) <= 1 && points[i].x < points[start].x))
        start = i;
    }

  for (guint k = 0; k < chain->len; k++)
    {
      guint i = (start + k) % chain->len;
      GtkWidget *widget = chain->pdata[i];
      graphene_point_t p = points[i];

      g_test_message ("  %u: %s at %.0f,%.0f", i, G_OBJECT_TYPE_NAME (widget), p.x, p.y);
      /* Later in the chain is lower down, or on the same line further right. */
      if (!(p.y > last_y + 1 || (ABS (p.y - last_y) <= 1 && p.x > last_x)))
        g_error ("%s: Tab goes from (%.0f,%.0f) back up to %s at (%.0f,%.0f)",
                 name, last_x, last_y, G_OBJECT_TYPE_NAME (widget), p.x, p.y);
      last_y = p.y;
      last_x = p.x;
    }
}

static void
test_tab_order (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  GtkCheckButton *done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE),
                                            OFL_TYPE_ENABLE_PAGE, "done_check");

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 900);
  ofl_ui_test_activate (window, "win.add-link");
  /* Open Oneflow, the box. */
  check_tab_order (window, GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_ENABLE)), "enable", 2);

  gtk_check_button_set_active (done, TRUE);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);
  check_tab_order (window, GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_GENERATE)), "generate", 1);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  check_tab_order (window, GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_TOKEN)), "token", 1);

  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  check_tab_order (window, GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_EMAIL)), "email", 1);

  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  check_tab_order (window, GTK_WIDGET (ofl_ui_test_page (window, OFL_PAGE_CONNECT)), "connect", 1);

  ofl_ui_test_close_window (window);
}

/* Enter on whatever has focus: a field activates (entry-activated), a
 * button activates itself, anything else goes to the assistant. */
static void
enter_on_focus (OflWindow *window)
{
  GtkWidget *focus = focus_of (window);

  g_assert_nonnull (focus);
  if (GTK_IS_TEXT (focus))
    g_signal_emit_by_name (focus, "activate");
  else if (GTK_IS_BUTTON (focus))
    gtk_widget_activate (focus);
  else
    g_assert_true (ofl_ui_test_press_enter (GTK_WIDGET (ofl_ui_test_assistant (window))));
}

static void
test_focus_and_enter (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflAssistantPage *token = ofl_ui_test_page (window, OFL_PAGE_TOKEN);
  OflAssistantPage *email = ofl_ui_test_page (window, OFL_PAGE_EMAIL);
  OflAssistantPage *connect = ofl_ui_test_page (window, OFL_PAGE_CONNECT);
  GtkWidget *token_row = ofl_ui_test_child (token, OFL_TYPE_TOKEN_PAGE, "token_row");
  GtkWidget *email_row = ofl_ui_test_child (email, OFL_TYPE_EMAIL_PAGE, "email_row");
  GtkWidget *connect_button = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "connect_button");
  GtkWidget *open_button = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_GENERATE),
                                              OFL_TYPE_GENERATE_PAGE, "open_button");
  GtkCheckButton *done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE),
                                            OFL_TYPE_ENABLE_PAGE, "done_check");

  /* Welcome: Start has focus. */
  WAIT_UNTIL (focus_in (window, ofl_ui_test_child (window, OFL_TYPE_WINDOW, "welcome_page")));
  ofl_ui_test_activate (window, "win.add-link");

  WAIT_UNTIL (gtk_widget_has_focus (GTK_WIDGET (done)));
  gtk_check_button_set_active (done, TRUE);
  enter_on_focus (window);
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);

  /* Generate: nothing to type. Focus is on the page's first instruction,
   * not on “Open Oneflow” (Enter there opens a browser), Enter goes on,
   * and Shift+Tab reaches Open Oneflow. */
  WAIT_UNTIL (focus_in (window, ofl_ui_test_page (window, OFL_PAGE_GENERATE)));
  /* Tab follows the widgets' places on screen: the page is laid out once
   * it has been drawn (GTK 4.18 sorts a page not laid out yet wrongly). */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_false (focus_in (window, open_button));
  g_assert_false (GTK_IS_BUTTON (focus_of (window)));
  g_assert_true (ADW_IS_ACTION_ROW (focus_of (window)));
  {
    GtkWidget *first = focus_of (window);

    g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_BACKWARD);
    g_assert_true (focus_in (window, open_button));
    g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
    g_assert_true (focus_of (window) == first);
  }
  enter_on_focus (window);
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);

  /* Token: the field has focus; Enter in it goes on once it is valid. */
  WAIT_UNTIL (focus_in (window, token_row));
  gtk_editable_set_text (GTK_EDITABLE (token_row), OFL_FAKE_TOKEN_ACME);
  enter_on_focus (window);
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);

  /* Email: likewise; an invalid address does not go on. */
  WAIT_UNTIL (focus_in (window, email_row));
  gtk_editable_set_text (GTK_EDITABLE (email_row), "anna@");
  enter_on_focus (window);
  /* Next would be busy at once, and its page shown a frame later. */
  g_assert_false (ofl_ui_test_busy (assistant));
  ofl_ui_test_wait_frames (GTK_WIDGET (window), 1);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_EMAIL);
  gtk_editable_set_text (GTK_EDITABLE (email_row), OFL_FAKE_EMAIL_ANNA);
  enter_on_focus (window);
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);

  /* Connect: the Connect button has focus; Enter presses it. */
  WAIT_UNTIL (gtk_widget_has_focus (connect_button));
  enter_on_focus (window);
  WAIT_UNTIL (!ofl_ui_test_busy (assistant));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);

  /* The confirmation: Enter (its default response) closes it. */
  WAIT_UNTIL (ofl_ui_test_find_dialog (window) != NULL);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (ofl_ui_test_find_dialog (window)), ==, "done");
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "done");

  ofl_ui_test_close_window (window);
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = first_label (child);

      if (label != NULL)
        return label;
    }

  return NULL;
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   GString    *problems,
                   const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_widget_is_sensitive (widget))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));

      /* An entry row shows its title twice (plain and floating): one control. */
      GtkWidget *control = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

      if (control == NULL)
        control = widget;

      if (keyval != GDK_KEY_VoidSymbol)
        {
          GtkWidget *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));

          if (other != NULL && other != control)
            g_string_append_printf (problems, "  %s: Alt+%s is both “%s” and “%s”\n", where,
                                    gdk_keyval_name (keyval), gtk_label_get_text (GTK_LABEL (first_label (other))),
                                    gtk_label_get_text (GTK_LABEL (widget)));
          else
            g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), control);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen, problems, where);
}

static void
check_mnemonics (OflWindow  *window,
                 GString    *problems,
                 const char *where)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  /* Labels and buttons as the last change left them, laid out. */
  ofl_ui_test_wait_frames (GTK_WIDGET (window), 1);
  collect_mnemonics (GTK_WIDGET (window), seen, problems, where);
}

static void
has_mnemonic (GtkWidget  *button,
              GString    *problems,
              const char *name)
{
  GtkWidget *label = first_label (button);

  if (label == NULL || gtk_label_get_mnemonic_keyval (GTK_LABEL (label)) == GDK_KEY_VoidSymbol)
    g_string_append_printf (problems, "  %s has no mnemonic\n", name);
}

static void
test_mnemonics (void)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflAssistantPage *connect = ofl_ui_test_page (window, OFL_PAGE_CONNECT);

  /* The main buttons of the assistant and of Connect. */
  has_mnemonic (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE), OFL_TYPE_ASSISTANT_PAGE, "next_button"),
                problems, "Next");
  has_mnemonic (ofl_ui_test_child (connect, OFL_TYPE_ASSISTANT_PAGE, "cancel_button"), problems, "Cancel");
  has_mnemonic (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "connect_button"), problems, "Connect");
  has_mnemonic (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "stop_button"), problems, "Stop Checking");
  has_mnemonic (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "fix_button"), problems, "the fix button");
  has_mnemonic (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "copy_button"), problems, "Copy Details");

  /* No two controls showing at once share a mnemonic, on any page. */
  check_mnemonics (window, problems, "welcome");
  ofl_ui_test_activate (window, "win.add-link");
  check_mnemonics (window, problems, "enable");
  gtk_check_button_set_active (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE),
                                                  OFL_TYPE_ENABLE_PAGE, "done_check"), TRUE);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);
  check_mnemonics (window, problems, "generate");
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  check_mnemonics (window, problems, "token");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2");
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  check_mnemonics (window, problems, "email");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  check_mnemonics (window, problems, "connect");
  ofl_ui_test_connect (window);
  check_mnemonics (window, problems, "connect after a rejected token");

  if (problems->len > 0)
    g_error ("Mnemonics:\n%s", problems->str);

  ofl_ui_test_close_window (window);
}

static gboolean
menu_has_item (GMenuModel *menu,
               const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *text = NULL;
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          gboolean found = menu_has_item (section, label);

          g_object_unref (section);
          if (found)
            return TRUE;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_str_equal (text, label))
        return TRUE;
    }

  return FALSE;
}

static void
test_main_menu (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  GtkMenuButton *button = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "menu_button");
  GtkWidget *header_bar = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "header_bar");
  GtkPopover *popover;
  GMenuModel *menu;
  GtkWidget *add_button = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "add_button");

  /* One header bar for the welcome page and the accounts: Add is there
   * only for the accounts. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_get_visible (add_button) ==
                 (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0));
  /* Nothing of the menu is built for the first frame. */
  g_assert_null (gtk_menu_button_get_popover (button));

  /* As F10 (GtkWindow's binding for the primary menu) and a click do. */
  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  menu = gtk_menu_button_get_menu_model (button);
  /* Adding a link has one control, outside the menu (test-accounts). */
  g_assert_false (menu_has_item (menu, "_Add a Link"));
  g_assert_true (menu_has_item (menu, "_Keyboard Shortcuts"));
  g_assert_true (menu_has_item (menu, "_About Oneflow Link"));

  /* Made once: opening it again shows the same popover. */
  gtk_popover_popdown (popover);
  WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gtk_menu_button_popup (button);
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gtk_popover_popdown (popover);
  WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (popover)));

  /* The assistant has its own header bar: this one makes way. */
  ofl_ui_test_activate (window, "win.add-link");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
  g_assert_false (gtk_widget_get_visible (header_bar));

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflFakeServer) server = NULL;

  ofl_ui_test_init (&argc, &argv);
  /* No slide between pages: the page left is unmapped at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  server = ofl_ui_test_start_server (FALSE);

  g_test_add_func ("/keyboard/tab-order", test_tab_order);
  g_test_add_func ("/keyboard/focus-and-enter", test_focus_and_enter);
  g_test_add_func ("/keyboard/mnemonics", test_mnemonics);
  g_test_add_func ("/keyboard/main-menu", test_main_menu);

  return g_test_run ();
}
