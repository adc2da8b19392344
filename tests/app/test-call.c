/* test-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-call.h"

enum {
  CALL_PROP_0, CALL_PROP_ID, CALL_PROP_PEER, CALL_PROP_PEER_NAME, CALL_PROP_STATE,
  CALL_PROP_DURATION, CALL_PROP_MUTED, CALL_PROP_HELD, CALL_PROP_INPUT_LEVEL,
  CALL_PROP_OUTPUT_LEVEL, CALL_PROP_INPUT_DEVICE, CALL_PROP_OUTPUT_DEVICE, CALL_PROP_END_REASON,
};

static void call_view_iface_init (HailCallViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCall, test_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_CALL_VIEW, call_view_iface_init))

void
test_call_set_state (TestCall          *self,
                     HailCallViewState  state)
{
  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

static gboolean
test_call_answer (HailCallView  *view,
                  GError       **error)
{
  test_call_set_state (TEST_CALL (view), HAIL_CALL_VIEW_STATE_ACTIVE);
  return TRUE;
}

static gboolean
test_call_hang_up (HailCallView  *view,
                   GError       **error)
{
  test_call_set_state (TEST_CALL (view), HAIL_CALL_VIEW_STATE_ENDED);
  return TRUE;
}

static gboolean
test_call_send_dtmf (HailCallView  *view,
                     char           digit,
                     GError       **error)
{
  g_string_append_c (TEST_CALL (view)->dtmf, digit);
  return TRUE;
}

static gboolean
test_call_get_quality (HailCallView    *view,
                       HailCallQuality *quality)
{
  TestCall *self = TEST_CALL (view);

  if (!self->has_quality)
    return FALSE;
  *quality = self->quality;
  return TRUE;
}

void
test_call_set_quality (TestCall              *self,
                       const HailCallQuality *quality)
{
  self->has_quality = quality != NULL;
  if (quality != NULL)
    self->quality = *quality;
  g_signal_emit_by_name (self, "quality-changed");
}

static void
call_view_iface_init (HailCallViewInterface *iface)
{
  iface->get_quality = test_call_get_quality;
  iface->answer = test_call_answer;
  iface->hang_up = test_call_hang_up;
  iface->send_dtmf = test_call_send_dtmf;
}

static void
test_call_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestCall *self = TEST_CALL (object);

  switch (prop_id)
    {
    case CALL_PROP_ID: g_value_set_string (value, self->id); break;
    case CALL_PROP_PEER: g_value_set_string (value, self->peer); break;
    case CALL_PROP_PEER_NAME: g_value_set_string (value, self->peer_name); break;
    case CALL_PROP_STATE: g_value_set_enum (value, self->state); break;
    case CALL_PROP_DURATION: g_value_set_uint (value, self->duration); break;
    case CALL_PROP_MUTED: g_value_set_boolean (value, self->muted); break;
    case CALL_PROP_HELD: g_value_set_boolean (value, self->held); break;
    case CALL_PROP_INPUT_LEVEL: g_value_set_double (value, self->input_level); break;
    case CALL_PROP_OUTPUT_LEVEL: g_value_set_double (value, self->output_level); break;
    case CALL_PROP_INPUT_DEVICE: g_value_set_string (value, self->input_device); break;
    case CALL_PROP_OUTPUT_DEVICE: g_value_set_string (value, self->output_device); break;
    case CALL_PROP_END_REASON: g_value_set_string (value, self->end_reason); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_call_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestCall *self = TEST_CALL (object);

  switch (prop_id)
    {
    case CALL_PROP_MUTED:
      self->muted = g_value_get_boolean (value);
      break;
    case CALL_PROP_HELD:
      self->held = g_value_get_boolean (value);
      break;
    case CALL_PROP_INPUT_DEVICE:
      g_free (self->input_device);
      self->input_device = g_value_dup_string (value);
      break;
    case CALL_PROP_OUTPUT_DEVICE:
      g_free (self->output_device);
      self->output_device = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_call_finalize (GObject *object)
{
  TestCall *self = TEST_CALL (object);

  g_free (self->id);
  g_free (self->peer);
  g_free (self->peer_name);
  g_free (self->end_reason);
  g_free (self->input_device);
  g_free (self->output_device);
  g_string_free (self->dtmf, TRUE);
  G_OBJECT_CLASS (test_call_parent_class)->finalize (object);
}

static void
test_call_class_init (TestCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_call_get_property;
  object_class->set_property = test_call_set_property;
  object_class->finalize = test_call_finalize;
  g_object_class_override_property (object_class, CALL_PROP_ID, "id");
  g_object_class_override_property (object_class, CALL_PROP_PEER, "peer");
  g_object_class_override_property (object_class, CALL_PROP_PEER_NAME, "peer-name");
  g_object_class_override_property (object_class, CALL_PROP_STATE, "state");
  g_object_class_override_property (object_class, CALL_PROP_DURATION, "duration");
  g_object_class_override_property (object_class, CALL_PROP_MUTED, "muted");
  g_object_class_override_property (object_class, CALL_PROP_HELD, "held");
  g_object_class_override_property (object_class, CALL_PROP_INPUT_LEVEL, "input-level");
  g_object_class_override_property (object_class, CALL_PROP_OUTPUT_LEVEL, "output-level");
  g_object_class_override_property (object_class, CALL_PROP_INPUT_DEVICE, "input-device");
  g_object_class_override_property (object_class, CALL_PROP_OUTPUT_DEVICE, "output-device");
  g_object_class_override_property (object_class, CALL_PROP_END_REASON, "end-reason");
}

static void
test_call_init (TestCall *self)
{
  self->dtmf = g_string_new (NULL);
}

TestCall *
test_call_new (const char        *id,
               const char        *peer,
               const char        *name,
               HailCallViewState  state)
{
  TestCall *self = g_object_new (TEST_TYPE_CALL, NULL);

  self->id = g_strdup (id);
  self->peer = g_strdup (peer);
  self->peer_name = g_strdup (name);
  self->state = state;
  return self;
}

