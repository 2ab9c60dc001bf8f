//go:build race

package store_test

// raceDetector tells whether the race detector is on: long replays on one
// goroutine give it nothing to check and run over 20 times slower with it.
const raceDetector = true
