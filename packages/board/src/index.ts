export type { Authorize, BoardAction, BoardActionType } from './board-action'
export type { BoardOptions } from './board-options'
export { type Board, createBoard } from './create-board'
