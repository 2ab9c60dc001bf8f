package common

import "cometterm/chat"

// EditRequest asks the root to load a message's text into the composer
// for editing; the composer then sends EditMessage.
type EditRequest struct{ Message chat.Message }
