/* test-call.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HailCallView as core will give it, driven by the tests: answer and
 * hang up change its state, DTMF digits are recorded, its audio quality is
 * what the test sets.
 */
#pragma once

#include "hail-call-view.h"

G_BEGIN_DECLS

#define TEST_TYPE_CALL (test_call_get_type ())
G_DECLARE_FINAL_TYPE (TestCall, test_call, TEST, CALL, GObject)

struct _TestCall {
  GObject parent_instance;
  char *id;
  char *peer;
  char *peer_name;
  char *end_reason;
  char *input_device;
  char *output_device;
  HailCallViewState state;
  guint duration;
  gboolean muted;
  gboolean held;
  double input_level;
  double output_level;
  GString *dtmf;
  HailCallQuality quality;
  gboolean has_quality;
};

TestCall *test_call_new       (const char        *id,
                               const char        *peer,
                               const char        *name,
                               HailCallViewState  state);
void      test_call_set_state (TestCall          *self,
                               HailCallViewState  state);
/* NULL: no audio. Emits "quality-changed". */
void      test_call_set_quality (TestCall              *self,
                                 const HailCallQuality *quality);

G_END_DECLS
