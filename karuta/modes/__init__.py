"""Game modes: each module turns taps into engine calls and engine state into pixels."""
