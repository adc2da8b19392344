/* hail-message-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-message-row.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

struct _HailMessageRow {
  GtkListBoxRow parent_instance;

  /* template children */
  GtkBox *bubble;
  GtkLabel *body_label;
  GtkLabel *state_label;
  GtkButton *retry_button;

  /* owned references */
  HailStoreMessage *message;
};

G_DEFINE_FINAL_TYPE (HailMessageRow, hail_message_row, GTK_TYPE_LIST_BOX_ROW)

static GParamSpec *properties[N_PROPS];

/* Links end at white space; trailing punctuation belongs to the sentence. */
static gsize
link_length (const char *text)
{
  static const char *schemes[] = { "https://", "http://", "sips:", "sip:", "mailto:" };
  gsize len = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (schemes) && !found; i++)
    found = g_ascii_strncasecmp (text, schemes[i], strlen (schemes[i])) == 0 &&
            text[strlen (schemes[i])] != '\0' &&
            !g_ascii_isspace (text[strlen (schemes[i])]);
  if (!found)
    return 0;
  while (text[len] != '\0' && !g_ascii_isspace (text[len]) && text[len] != '<' &&
         text[len] != '>' && text[len] != '"')
    len++;
  while (len > 0 && strchr (".,;:!?)]'", text[len - 1]) != NULL)
    len--;
  return len;
}

char *
hail_message_row_markup_body (const char *body)
{
  GString *markup;
  const char *p, *plain;

  g_return_val_if_fail (body != NULL, NULL);

  markup = g_string_sized_new (strlen (body) + 16);
  plain = p = body;
  while (*p != '\0')
    {
      gsize len = 0;

      /* A link starts a word, so "xhttp://" stays text. */
      if (p == body || g_ascii_isspace (p[-1]) || p[-1] == '(' || p[-1] == '<')
        len = link_length (p);
      if (len == 0)
        {
          p++;
          continue;
        }
      if (p > plain)
        {
          g_autofree char *text = g_markup_escape_text (plain, p - plain);

          g_string_append (markup, text);
        }
      {
        g_autofree char *target = g_strndup (p, len);
        g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", target, target);

        g_string_append (markup, link);
      }
      p += len;
      plain = p;
    }
  if (p > plain)
    {
      g_autofree char *text = g_markup_escape_text (plain, p - plain);

      g_string_append (markup, text);
    }
  return g_string_free (markup, FALSE);
}

char *
hail_message_row_dup_state_text (HailStoreMessage *message)
{
  const char *reason;

  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE (message), NULL);

  if (hail_store_message_get_direction (message) == HAIL_STORE_DIRECTION_IN)
    return g_strdup (_("Received"));

  switch (hail_store_message_get_state (message))
    {
    case HAIL_STORE_MESSAGE_STATE_QUEUED:
    case HAIL_STORE_MESSAGE_STATE_SENDING:
      return g_strdup (_("Sending…"));
    case HAIL_STORE_MESSAGE_STATE_SENT:
      return g_strdup (_("Sent"));
    case HAIL_STORE_MESSAGE_STATE_DELIVERED:
      return g_strdup (_("Delivered"));
    case HAIL_STORE_MESSAGE_STATE_DISPLAYED:
      return g_strdup (_("Read"));
    case HAIL_STORE_MESSAGE_STATE_FAILED:
    default:
      reason = hail_store_message_get_reason (message);
      if (reason != NULL && *reason != '\0')
        /* Translators: %s is why a message could not be sent, e.g. "Not Found" */
        return g_strdup_printf (_("Not sent: %s"), reason);
      return g_strdup (_("Not sent"));
    }
}

static void
update_row (HailMessageRow *self)
{
  HailStoreMessage *message = self->message;
  gboolean outgoing = hail_store_message_get_direction (message) == HAIL_STORE_DIRECTION_OUT;
  gboolean failed = outgoing &&
                    hail_store_message_get_state (message) == HAIL_STORE_MESSAGE_STATE_FAILED;
  gint64 when = outgoing ? hail_store_message_get_time_sent (message)
                         : hail_store_message_get_time_received (message);
  g_autofree char *markup = hail_message_row_markup_body (hail_store_message_get_body (message));
  g_autofree char *state = hail_message_row_dup_state_text (message);
  g_autofree char *line = NULL;
  g_autofree char *spoken = NULL;
  g_autoptr(GDateTime) time = NULL;

  gtk_label_set_markup (self->body_label, markup);
  if (when > 0 && (time = g_date_time_new_from_unix_local (when / G_USEC_PER_SEC)) != NULL)
    {
      g_autofree char *clock = g_date_time_format (time, "%X");

      /* Translators: a message's time, then its delivery state: "10:42 · Delivered" */
      line = g_strdup_printf (_("%s · %s"), clock, state);
    }
  /* How it went (issue #8): a long text travels in a chat session (MSRP);
   * short ones as SIP MESSAGE, the usual way, are not marked. */
  if (hail_store_message_get_mode (message) == HAIL_STORE_MESSAGE_MODE_SESSION)
    {
      /* Translators: a message's time and state, then the way it went:
       * "10:42 · Delivered · in a chat session" */
      g_autofree char *way = g_strdup_printf (_("%s · in a chat session"),
                                              line != NULL ? line : state);

      g_free (line);
      line = g_steal_pointer (&way);
    }
  gtk_label_set_text (self->state_label, line != NULL ? line : state);
  /* The keyboard focus stops on the row itself: without a name of its own,
   * Orca read it as an unnamed list item (issue #7). */
  /* Translators: how a screen reader reads a message: its text, then its
   * time and state ("Hi Alice, 10:42 · Delivered") */
  spoken = g_strdup_printf (_("%s, %s"), hail_store_message_get_body (message),
                            line != NULL ? line : state);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);

  gtk_widget_set_halign (GTK_WIDGET (self->bubble), outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->bubble), outgoing ? "outgoing" : "incoming");
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), failed);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "x",
                                    hail_store_message_get_id (message));
}

static void
hail_message_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HailMessageRow *self = HAIL_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_message_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HailMessageRow *self = HAIL_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      self->message = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_message_row_constructed (GObject *object)
{
  HailMessageRow *self = HAIL_MESSAGE_ROW (object);

  G_OBJECT_CLASS (hail_message_row_parent_class)->constructed (object);
  /* The store updates the message in place as its delivery state moves. */
  g_signal_connect_object (self->message, "notify::state", G_CALLBACK (update_row), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message, "notify::reason", G_CALLBACK (update_row), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message, "notify::mode", G_CALLBACK (update_row), self,
                           G_CONNECT_SWAPPED);
  update_row (self);
}

static void
hail_message_row_dispose (GObject *object)
{
  HailMessageRow *self = HAIL_MESSAGE_ROW (object);

  /* GtkListBoxRow keeps its own pointer to the child: let it go first, or
   * the row unparents the bubble a second time. */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_MESSAGE_ROW);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (hail_message_row_parent_class)->dispose (object);
}

static void
hail_message_row_class_init (HailMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_message_row_get_property;
  object_class->set_property = hail_message_row_set_property;
  object_class->constructed = hail_message_row_constructed;
  object_class->dispose = hail_message_row_dispose;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", "Message", "The stored message shown",
                         HAIL_TYPE_STORE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HailMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, HailMessageRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, HailMessageRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, HailMessageRow, retry_button);
}

static void
hail_message_row_init (HailMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hail_message_row_new (HailStoreMessage *message)
{
  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE (message), NULL);

  return g_object_new (HAIL_TYPE_MESSAGE_ROW, "message", message, NULL);
}

HailStoreMessage *
hail_message_row_get_message (HailMessageRow *self)
{
  g_return_val_if_fail (HAIL_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}
