-- A stored judge calibration is shown on the reports board (docs/decisions/134-judge-calibration.md): a new one
-- moves the board epoch, so cached boards and their ETags (docs/decisions/262-board-etags.md) show it at once.
CREATE TRIGGER "judge_calibrations_board_epoch" AFTER INSERT OR UPDATE OR DELETE ON "judge_calibrations" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();
