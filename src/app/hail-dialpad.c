/* hail-dialpad.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-dialpad.h"

#include "hail-address.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_DOMAIN,
  PROP_UNAVAILABLE_REASON,
  N_PROPS
};

enum {
  SIGNAL_CALL,
  N_SIGNALS
};

struct _HailDialpad {
  AdwBin parent_instance;

  /* template children */
  GtkEntry *address_entry;
  GtkLabel *parsed_label;
  GtkLabel *reason_label;
  GtkButton *call_button;

  /* state */
  char *domain;
  char *unavailable_reason;
  HailAddress *address;     /* what the entry parses to, or NULL */
};

G_DEFINE_FINAL_TYPE (HailDialpad, hail_dialpad, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_state (HailDialpad *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  g_autoptr(GError) error = NULL;
  gboolean callable;

  g_clear_pointer (&self->address, hail_address_unref);
  self->address = hail_address_parse (text, self->domain, &error);

  if (self->address != NULL && hail_address_get_host (self->address) == NULL)
    {
      gtk_label_set_text (self->parsed_label,
                          _("Phone numbers can be called once an account is set up."));
      g_clear_pointer (&self->address, hail_address_unref);
    }
  else if (self->address != NULL)
    {
      g_autofree char *uri = hail_address_to_uri (self->address);

      gtk_label_set_text (self->parsed_label, uri);
    }
  else if (*text == '\0')
    {
      gtk_label_set_text (self->parsed_label, "");
    }
  else
    {
      gtk_label_set_text (self->parsed_label, error->message);
    }
  /* Selectable, so that the address can be copied; but an empty one is a
   * Tab stop where Orca has nothing to say but "label" (issue #7). Not
   * gtk_widget_set_focusable (): GTK 4.8's selectable label then kept the
   * focus moving into it and Tab stopped there. */
  gtk_label_set_selectable (self->parsed_label, *gtk_label_get_text (self->parsed_label) != '\0');

  callable = self->address != NULL && self->unavailable_reason == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialpad.call", callable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialpad.backspace", *text != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), self->unavailable_reason != NULL);
  gtk_label_set_text (self->reason_label,
                      self->unavailable_reason ? self->unavailable_reason : "");
}

static void
address_changed_cb (HailDialpad *self)
{
  update_state (self);
}

static void
address_activate_cb (HailDialpad *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialpad.call", NULL);
}

static void
digit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  HailDialpad *self = HAIL_DIALPAD (widget);
  GtkEditable *editable = GTK_EDITABLE (self->address_entry);
  const char *digit = g_variant_get_string (param, NULL);
  int pos = gtk_editable_get_position (editable);

  /* Only the twelve keys of the pad come through here. */
  if (strlen (digit) != 1 || strchr ("0123456789*#", digit[0]) == NULL)
    return;
  gtk_editable_insert_text (editable, digit, 1, &pos);
  gtk_editable_set_position (editable, pos);
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  HailDialpad *self = HAIL_DIALPAD (widget);
  GtkEditable *editable = GTK_EDITABLE (self->address_entry);
  int pos = gtk_editable_get_position (editable);

  if (pos <= 0)
    pos = g_utf8_strlen (gtk_editable_get_text (editable), -1);
  if (pos > 0)
    gtk_editable_delete_text (editable, pos - 1, pos);
}

static void
call_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailDialpad *self = HAIL_DIALPAD (widget);
  g_autofree char *uri = NULL;

  if (self->address == NULL || self->unavailable_reason != NULL)
    return;
  uri = hail_address_to_uri (self->address);
  g_signal_emit (self, signals[SIGNAL_CALL], 0, uri);
}

static void
hail_dialpad_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HailDialpad *self = HAIL_DIALPAD (object);

  switch (prop_id)
    {
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_UNAVAILABLE_REASON:
      g_value_set_string (value, self->unavailable_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_dialpad_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HailDialpad *self = HAIL_DIALPAD (object);

  switch (prop_id)
    {
    case PROP_DOMAIN:
      hail_dialpad_set_domain (self, g_value_get_string (value));
      break;
    case PROP_UNAVAILABLE_REASON:
      hail_dialpad_set_unavailable_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_dialpad_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HAIL_TYPE_DIALPAD);

  G_OBJECT_CLASS (hail_dialpad_parent_class)->dispose (object);
}

static void
hail_dialpad_finalize (GObject *object)
{
  HailDialpad *self = HAIL_DIALPAD (object);

  g_clear_pointer (&self->address, hail_address_unref);
  g_free (self->domain);
  g_free (self->unavailable_reason);

  G_OBJECT_CLASS (hail_dialpad_parent_class)->finalize (object);
}

static void
hail_dialpad_class_init (HailDialpadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_dialpad_get_property;
  object_class->set_property = hail_dialpad_set_property;
  object_class->dispose = hail_dialpad_dispose;
  object_class->finalize = hail_dialpad_finalize;

  /**
   * HailDialpad:domain:
   *
   * The server a bare number or user name is called at: the default
   * account's, or %NULL when there is none.
   */
  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", "Domain", "Server for bare numbers", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HailDialpad:unavailable-reason:
   *
   * Why calls cannot be placed now, in words for people; %NULL when they can.
   * While set, the call button stays disabled and the reason is shown.
   */
  properties[PROP_UNAVAILABLE_REASON] =
    g_param_spec_string ("unavailable-reason", "Unavailable reason", "Why calling is disabled",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailDialpad::call:
   * @uri: the address to call, as a sip:, sips: or tel: URI
   */
  signals[SIGNAL_CALL] =
    g_signal_new ("call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-dialpad.ui");
  gtk_widget_class_bind_template_child (widget_class, HailDialpad, address_entry);
  gtk_widget_class_bind_template_child (widget_class, HailDialpad, parsed_label);
  gtk_widget_class_bind_template_child (widget_class, HailDialpad, reason_label);
  gtk_widget_class_bind_template_child (widget_class, HailDialpad, call_button);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_activate_cb);

  gtk_widget_class_install_action (widget_class, "dialpad.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "dialpad.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "dialpad.call", NULL, call_action);

  gtk_widget_class_set_css_name (widget_class, "dialpad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hail_dialpad_init (HailDialpad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dial Pad"),
                                  -1);
  update_state (self);
}

GtkWidget *
hail_dialpad_new (void)
{
  return g_object_new (HAIL_TYPE_DIALPAD, NULL);
}

const char *
hail_dialpad_get_text (HailDialpad *self)
{
  g_return_val_if_fail (HAIL_IS_DIALPAD (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
}

void
hail_dialpad_set_text (HailDialpad *self,
                       const char  *text)
{
  g_return_if_fail (HAIL_IS_DIALPAD (self));

  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), text ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->address_entry), -1);
}

const char *
hail_dialpad_get_domain (HailDialpad *self)
{
  g_return_val_if_fail (HAIL_IS_DIALPAD (self), NULL);

  return self->domain;
}

void
hail_dialpad_set_domain (HailDialpad *self,
                         const char  *domain)
{
  g_return_if_fail (HAIL_IS_DIALPAD (self));

  if (domain != NULL && *domain == '\0')
    domain = NULL;
  if (g_strcmp0 (self->domain, domain) == 0)
    return;
  g_free (self->domain);
  self->domain = g_strdup (domain);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOMAIN]);
}

const char *
hail_dialpad_get_unavailable_reason (HailDialpad *self)
{
  g_return_val_if_fail (HAIL_IS_DIALPAD (self), NULL);

  return self->unavailable_reason;
}

void
hail_dialpad_set_unavailable_reason (HailDialpad *self,
                                     const char  *reason)
{
  g_return_if_fail (HAIL_IS_DIALPAD (self));

  if (reason != NULL && *reason == '\0')
    reason = NULL;
  if (g_strcmp0 (self->unavailable_reason, reason) == 0)
    return;
  g_free (self->unavailable_reason);
  self->unavailable_reason = g_strdup (reason);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNAVAILABLE_REASON]);
}

/* Returns: (transfer full) (nullable): the URI the entry reads as, or %NULL */
char *
hail_dialpad_dup_uri (HailDialpad *self)
{
  g_return_val_if_fail (HAIL_IS_DIALPAD (self), NULL);

  return self->address ? hail_address_to_uri (self->address) : NULL;
}

void
hail_dialpad_focus_entry (HailDialpad *self)
{
  g_return_if_fail (HAIL_IS_DIALPAD (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->address_entry));
}
