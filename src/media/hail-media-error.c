/* hail-media-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-media-error.h"

G_DEFINE_QUARK (hail-media-error-quark, hail_media_error)
