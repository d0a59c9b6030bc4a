/* test-validation.c: calm validation of the token and email fields
 *
 * While a value is typed or pasted, a field is never red: the token field
 * counts ("39 of 40 characters"). It turns red at once only for a
 * character no value can have, and otherwise when the person leaves the
 * field or presses Enter. A valid value gets a quiet sign ("Looks
 * right"). A reason the Connect page sends back stands next to the field.
 * The token is read by GTK, and so by assistive technologies, as a mask. */

#include "config.h"

#include <string.h>

#include "ofl-ui-test.h"

#define SHORT_TOKEN "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b"   /* 39 */
#define MASK_40     "●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●"

typedef struct {
  OflWindow        *window;
  OflAssistantPage *page;
  GtkWidget        *field;
  GtkLabel         *message;
  GtkWidget        *sign;
} Field;

static void
field_init (Field     *f,
            OflPageId  page_id)
{
  OflAssistant *assistant;
  gboolean token = page_id == OFL_PAGE_TOKEN;
  GType type = token ? OFL_TYPE_TOKEN_PAGE : OFL_TYPE_EMAIL_PAGE;

  f->window = ofl_ui_test_new_window ();
  assistant = ofl_ui_test_assistant (f->window);
  f->page = ofl_ui_test_page (f->window, page_id);
  f->field = ofl_ui_test_child (f->page, type, token ? "token_row" : "email_row");
  f->message = ofl_ui_test_child (f->page, type, "message_label");
  f->sign = ofl_ui_test_child (f->page, type, "valid_icon");

  ofl_ui_test_activate (f->window, "win.add-link-with-token");
  if (!token)
    {
      ofl_ui_test_set_text (ofl_ui_test_page (f->window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                            OFL_FAKE_TOKEN_ACME);
      ofl_ui_test_activate (assistant, "assistant.next");
    }
  WAIT_UNTIL (ofl_ui_test_current (assistant) == page_id);
  /* The page puts the focus in its field once it shows. */
  WAIT_UNTIL (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), f->field));
}

static void
field_clear (Field *f)
{
  ofl_ui_test_close_window (f->window);
}

/* No red: no error style, not invalid to a screen reader; the message,
 * if any, is a quiet one. */
static void
assert_calm (Field *f)
{
  g_assert_false (gtk_widget_has_css_class (f->field, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (f->field), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->message), "error"));
}

static void
assert_red (Field      *f,
            const char *says)
{
  g_assert_true (gtk_widget_has_css_class (f->field, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (f->field), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->message)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->message), "error"));
  g_test_message ("red: %s", gtk_label_get_label (f->message));
  g_assert_nonnull (strstr (gtk_label_get_label (f->message), says));
  /* A screen reader reads the message with the field. */
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (f->field), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                       f->message, NULL);
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (f->field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                       f->message, NULL);
  g_assert_false (gtk_widget_get_visible (f->sign));
  g_assert_false (ofl_ui_test_next_enabled (f->window));
}

static void
assert_looks_right (Field *f)
{
  assert_calm (f);
  g_assert_true (gtk_widget_get_visible (f->sign));
  g_assert_true (gtk_widget_has_css_class (f->sign, "success"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->message)));
  g_assert_cmpstr (gtk_label_get_label (f->message), ==, "Looks right");
  g_assert_true (ofl_ui_test_next_enabled (f->window));
}

static void
type_text (Field      *f,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (f->field), text);
}

/* Focus moves on, the way Tab takes it, to a control outside the field. */
static void
leave_field (Field *f)
{
  g_signal_emit_by_name (f->window, "move-focus", GTK_DIR_TAB_FORWARD);
  if (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), f->field))
    g_signal_emit_by_name (f->window, "move-focus", GTK_DIR_TAB_FORWARD);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), f->field));
}

static void
press_enter (Field *f)
{
  g_signal_emit_by_name (f->field, ADW_IS_ENTRY_ROW (f->field) ? "entry-activated" : "activate");
}

static void
test_token_counter (void)
{
  Field f;

  field_init (&f, OFL_PAGE_TOKEN);

  /* Empty: nothing said, nothing red. */
  assert_calm (&f);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.message)));

  /* Typing: a neutral count, growing with it. */
  type_text (&f, "acme5b1c");
  assert_calm (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "8 of 40 characters");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f.message), "dim-label"));
  type_text (&f, SHORT_TOKEN);
  assert_calm (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "39 of 40 characters");
  g_assert_false (gtk_widget_get_visible (f.sign));
  g_assert_false (ofl_ui_test_next_enabled (f.window));
  /* One too many is still being edited, not yet wrong. */
  type_text (&f, OFL_FAKE_TOKEN_ACME "0");
  assert_calm (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "41 of 40 characters");

  field_clear (&f);
}

static void
test_token_invalid_char (void)
{
  Field f;

  field_init (&f, OFL_PAGE_TOKEN);

  /* A character no token has is red at once, however short. */
  type_text (&f, "acme_");
  assert_red (&f, "“_”");
  type_text (&f, "acme5b1c2d3e 4f50");
  assert_red (&f, "space");

  /* Fixed: calm again. */
  type_text (&f, "acme5b1c2d3e4f50");
  assert_calm (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "16 of 40 characters");

  field_clear (&f);
}

static void
test_token_focus_out (void)
{
  Field f;

  field_init (&f, OFL_PAGE_TOKEN);

  type_text (&f, SHORT_TOKEN);
  assert_calm (&f);
  leave_field (&f);
  assert_red (&f, "39 characters");

  /* Back to typing: a count again, not a scolding. */
  gtk_widget_grab_focus (f.field);
  type_text (&f, SHORT_TOKEN "2");
  assert_looks_right (&f);

  /* An empty field left alone is not wrong. */
  type_text (&f, "");
  leave_field (&f);
  assert_calm (&f);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.message)));

  field_clear (&f);
}

static void
test_token_enter (void)
{
  Field f;
  OflAssistant *assistant;

  field_init (&f, OFL_PAGE_TOKEN);
  assistant = ofl_ui_test_assistant (f.window);

  type_text (&f, SHORT_TOKEN);
  press_enter (&f);
  assert_red (&f, "39 characters");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_TOKEN);

  field_clear (&f);
}

static void
test_token_valid (void)
{
  Field f;

  field_init (&f, OFL_PAGE_TOKEN);

  /* Pasted with a line break: fine, and it says so quietly. */
  type_text (&f, OFL_FAKE_TOKEN_ACME "\n");
  assert_looks_right (&f);
  leave_field (&f);
  assert_looks_right (&f);

  field_clear (&f);
}

static void
test_token_masked (void)
{
  Field f;
  GtkEditable *text;

  field_init (&f, OFL_PAGE_TOKEN);
  text = gtk_editable_get_delegate (GTK_EDITABLE (f.field));

  type_text (&f, OFL_FAKE_TOKEN_ACME);

  /* Screen readers are told it is a password (GTK 4.18 says so only of a
   * GtkPasswordEntry), and what GTK reads of the field is a mask. */
  g_assert_true (GTK_IS_PASSWORD_ENTRY (f.field));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.field)), ==, MASK_40);
  {
    g_autofree char *start = gtk_editable_get_chars (GTK_EDITABLE (f.field), 0, 4);

    g_assert_cmpstr (start, ==, "●●●●");
  }
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (f.page)), ==, OFL_FAKE_TOKEN_ACME);

  /* The token lives in GTK's wiped-on-free memory, with no undo copies. */
  g_assert_true (GTK_IS_TEXT (text));
  g_assert_false (gtk_editable_get_enable_undo (text));

  /* Shown with the peek button: the field's text is the token. */
  gtk_text_set_visibility (GTK_TEXT (text), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.field)), ==, OFL_FAKE_TOKEN_ACME);
  gtk_text_set_visibility (GTK_TEXT (text), FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.field)), ==, MASK_40);

  /* Typing in the middle and deleting keep both in step. */
  gtk_editable_delete_text (GTK_EDITABLE (f.field), 0, 4);
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (f.page)), ==, OFL_FAKE_TOKEN_ACME + 4);
  {
    int position = 0;

    gtk_editable_insert_text (GTK_EDITABLE (f.field), "acme", -1, &position);
    g_assert_cmpint (position, ==, 4);
  }
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (f.page)), ==, OFL_FAKE_TOKEN_ACME);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.field)), ==, MASK_40);
  assert_looks_right (&f);

  field_clear (&f);
}

static void
test_token_paste (void)
{
  Field f;
  GtkButton *paste;

  field_init (&f, OFL_PAGE_TOKEN);
  paste = ofl_ui_test_child (f.page, OFL_TYPE_TOKEN_PAGE, "paste_button");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)), "  " OFL_FAKE_TOKEN_ACME "\r\n");
  g_signal_emit_by_name (paste, "clicked");
  WAIT_UNTIL (*ofl_token_page_get_text (OFL_TOKEN_PAGE (f.page)) != '\0');
  assert_looks_right (&f);

  /* A paste is finished: an incomplete one is said at once. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)), SHORT_TOKEN);
  g_signal_emit_by_name (paste, "clicked");
  WAIT_UNTIL (strcmp (ofl_token_page_get_text (OFL_TOKEN_PAGE (f.page)), SHORT_TOKEN) == 0);
  assert_red (&f, "39 characters");

  field_clear (&f);
}

static void
test_token_problem_from_connect (void)
{
  Field f;

  field_init (&f, OFL_PAGE_TOKEN);

  /* Sent back from Connect: the reason stands next to the field ... */
  type_text (&f, OFL_FAKE_TOKEN_ACME);
  ofl_token_page_show_problem (OFL_TOKEN_PAGE (f.page), "Oneflow did not accept this token.");
  g_assert_true (gtk_widget_has_css_class (f.field, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (f.field), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "Oneflow did not accept this token.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.message)));
  g_assert_false (gtk_widget_get_visible (f.sign));
  leave_field (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "Oneflow did not accept this token.");
  g_assert_true (gtk_widget_has_css_class (f.field, "error"));

  /* ... until the token is changed. */
  type_text (&f, OFL_FAKE_TOKEN_ACME_NEW);
  assert_looks_right (&f);

  field_clear (&f);
}

static void
test_email_typing (void)
{
  Field f;

  field_init (&f, OFL_PAGE_EMAIL);

  /* An unfinished address is not wrong while it is typed. */
  const char *steps[] = { "a", "anna", "anna@", "anna@example", "anna@example." };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      type_text (&f, steps[i]);
      assert_calm (&f);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.message)));
      g_assert_false (gtk_widget_get_visible (f.sign));
      g_assert_false (ofl_ui_test_next_enabled (f.window));
    }

  type_text (&f, "anna@example.com");
  assert_looks_right (&f);

  field_clear (&f);
}

static void
test_email_invalid_char (void)
{
  Field f;

  field_init (&f, OFL_PAGE_EMAIL);

  type_text (&f, "anna @");
  assert_red (&f, "spaces");
  type_text (&f, "anna,bert@");
  assert_red (&f, "“,”");
  type_text (&f, "anna@");
  assert_calm (&f);

  field_clear (&f);
}

static void
test_email_focus_out_and_enter (void)
{
  Field f;

  field_init (&f, OFL_PAGE_EMAIL);

  type_text (&f, "anna@");
  leave_field (&f);
  assert_red (&f, "domain");

  gtk_widget_grab_focus (f.field);
  type_text (&f, "anna@example");
  assert_calm (&f);
  press_enter (&f);
  assert_red (&f, "domain");
  g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (f.window)), ==, OFL_PAGE_EMAIL);

  type_text (&f, "Anna@Example.com ");
  assert_looks_right (&f);
  leave_field (&f);
  assert_looks_right (&f);

  field_clear (&f);
}

static void
test_email_problem_from_connect (void)
{
  Field f;

  field_init (&f, OFL_PAGE_EMAIL);

  type_text (&f, OFL_FAKE_EMAIL_BERT);
  ofl_email_page_show_problem (OFL_EMAIL_PAGE (f.page), "This user was deactivated in Oneflow.");
  g_assert_true (gtk_widget_has_css_class (f.field, "error"));
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "This user was deactivated in Oneflow.");
  g_assert_false (gtk_widget_get_visible (f.sign));
  leave_field (&f);
  g_assert_cmpstr (gtk_label_get_label (f.message), ==, "This user was deactivated in Oneflow.");
  gtk_widget_grab_focus (f.field);

  type_text (&f, OFL_FAKE_EMAIL_ANNA);
  assert_looks_right (&f);

  /* Cleared by the caller: the field says what it would say anyway. */
  ofl_email_page_show_problem (OFL_EMAIL_PAGE (f.page), "This user was deactivated in Oneflow.");
  ofl_email_page_show_problem (OFL_EMAIL_PAGE (f.page), NULL);
  assert_looks_right (&f);

  field_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflFakeServer) server = NULL;

  ofl_ui_test_init (&argc, &argv);
  server = ofl_ui_test_start_server (FALSE);

  g_test_add_func ("/validation/token/counter", test_token_counter);
  g_test_add_func ("/validation/token/invalid-char", test_token_invalid_char);
  g_test_add_func ("/validation/token/focus-out", test_token_focus_out);
  g_test_add_func ("/validation/token/enter", test_token_enter);
  g_test_add_func ("/validation/token/valid", test_token_valid);
  g_test_add_func ("/validation/token/masked", test_token_masked);
  g_test_add_func ("/validation/token/paste", test_token_paste);
  g_test_add_func ("/validation/token/problem-from-connect", test_token_problem_from_connect);
  g_test_add_func ("/validation/email/typing", test_email_typing);
  g_test_add_func ("/validation/email/invalid-char", test_email_invalid_char);
  g_test_add_func ("/validation/email/focus-out-and-enter", test_email_focus_out_and_enter);
  g_test_add_func ("/validation/email/problem-from-connect", test_email_problem_from_connect);

  return g_test_run ();
}
