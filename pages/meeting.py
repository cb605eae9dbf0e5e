"""Planning meeting: one step of the meeting's sequence, for the meeting's region."""

from dashboard.ui import meeting

steps, index, region = meeting.bar()
meeting.render(steps[index], region)
