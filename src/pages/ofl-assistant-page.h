/* ofl-assistant-page.h: one page of the assistant (the gis-page model)
 *
 * A page says whether it is complete (that drives Next), may run an async
 * apply when Next is pressed, and never applies on Back. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OFL_TYPE_ASSISTANT_PAGE (ofl_assistant_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (OflAssistantPage, ofl_assistant_page, OFL, ASSISTANT_PAGE, AdwNavigationPage)

struct _OflAssistantPageClass
{
  AdwNavigationPageClass parent_class;

  /* The page became the visible one: move focus to its first field. */
  void      (*shown)        (OflAssistantPage             *self);
  /* Next was pressed on a complete page. The default succeeds at once. */
  void      (*apply_async)  (OflAssistantPage             *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  gboolean  (*apply_finish) (OflAssistantPage             *self,
                             GAsyncResult        *result,
                             GError             **error);
  /* Forget everything typed on this page (Cancel, close, done). */
  void      (*discard)      (OflAssistantPage             *self);
  /* Whether discarding would lose something the person typed. */
  gboolean  (*has_input)    (OflAssistantPage             *self);

  gpointer padding[8];
};

gboolean    ofl_assistant_page_get_complete (OflAssistantPage             *self);
void        ofl_assistant_page_set_complete (OflAssistantPage             *self,
                                   gboolean             complete);
/* The header's "Step @step of @n_steps": the pages as the person sees them. */
void        ofl_assistant_page_set_step     (OflAssistantPage             *self,
                                   guint                step,
                                   guint                n_steps);
/* Why the person is here (a re-link), above the page; NULL hides it. */
void        ofl_assistant_page_set_note     (OflAssistantPage             *self,
                                   const char          *note);

void        ofl_assistant_page_shown        (OflAssistantPage             *self);
void        ofl_assistant_page_apply_async  (OflAssistantPage             *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean    ofl_assistant_page_apply_finish (OflAssistantPage             *self,
                                   GAsyncResult        *result,
                                   GError             **error);
void        ofl_assistant_page_discard      (OflAssistantPage             *self);
gboolean    ofl_assistant_page_has_input    (OflAssistantPage             *self);

/* What a field shows under it (calm validation: no red while typing). */
typedef enum {
  OFL_FIELD_NEUTRAL,    /* @message, if any, is a quiet hint ("39 of 40 characters") */
  OFL_FIELD_VALID,      /* a quiet positive sign; @message says so */
  OFL_FIELD_INVALID,    /* error style, the accessible invalid state, and @message */
} OflFieldState;

/* For pages: shows @state on @field, with @message in @message_label
 * (hidden when NULL) and @sign (a success icon) only when valid. */
void        ofl_assistant_page_set_field_state (GtkWidget     *field,
                                                GtkLabel      *message_label,
                                                GtkWidget     *sign,
                                                OflFieldState  state,
                                                const char    *message);

/* Relates @field to the label that shows its problem (described-by and
 * error-message), so a screen reader reads the message with the field. */
void        ofl_assistant_page_relate_message (GtkWidget *field,
                                               GtkWidget *message);

/* Names an entry row's list item once, by its title as shown. */
void        ofl_assistant_page_name_entry_row (AdwEntryRow *row);

G_END_DECLS
