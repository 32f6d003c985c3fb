# Sourced by every bash step of a rehearsal (BASH_ENV): act deletes a job's folder, step
# summary included, when the job ends, so keep a copy of each step's summary for the test.
__rehearsal_keep_summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$GITHUB_STEP_SUMMARY" ] && [ -n "${STANDIN_STATE:-}" ]; then
    local dir="$STANDIN_STATE/summaries/${STANDIN_RUN:-0}/${GITHUB_JOB:-job}"
    mkdir -p "$dir" && cp "$GITHUB_STEP_SUMMARY" "$dir/${GITHUB_ACTION:-step}.md"
  fi
}
trap __rehearsal_keep_summary EXIT
