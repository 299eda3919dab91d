import { HomeView } from "./_home/home-view";

export default function HomePage() {
  return <HomeView />;
}
