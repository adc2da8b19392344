/* hail-sip-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-error.h"

G_DEFINE_QUARK (hail-sip-error-quark, hail_sip_error)
G_DEFINE_QUARK (hail-sip-status-error-quark, hail_sip_status_error)
